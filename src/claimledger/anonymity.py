"""Anonymity statements and their stated reasons.

A source is anonymous when the text leaves it unnamed ("a senior Western official",
"several relatives"): that comes from speaker typing. This module adds what the text says
about it — "spoke on condition of anonymity because they were not authorised to speak
publicly" — and returns the reason verbatim (without a leading "because"/"for"), or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .nlp import lexicon as lx

_MAX_REASON_CHARS = 300
_NAME_ASIDE = re.compile(r",?\s*[A-Z][\w.’'-]{0,30}(?:\s[A-Z][\w.’'-]{0,30}){0,2}\s*,")
_CLAUSE_END = (",", ";", ".", " —", " –", ")", ":", "?", "!", "\n", "”", '"')


@dataclass(slots=True)
class AnonymityStatement:
    start: int  # offsets of the trigger phrase, local to the text given
    end: int
    reason: str | None
    reason_start: int | None


def _reason_after(text: str, pos: int) -> tuple[str | None, int | None]:
    """The reason clause right after an anonymity phrase, if a connector introduces one."""
    rest = text[pos : pos + _MAX_REASON_CHARS]
    # Skip a withheld-name aside: "gave only her first name, Dana, because …".
    aside = _NAME_ASIDE.match(rest)
    if aside:
        pos += aside.end()
        rest = rest[aside.end() :]
    lead = len(rest) - len(rest.lstrip(" ,"))
    rest_l = rest[lead:].lower()
    for conn in lx.REASON_CONNECTORS:
        if rest_l.startswith(conn + " "):
            body_at = lead + (len(conn) + 1 if conn in lx.REASON_DROP else 0)
            body = rest[body_at:]
            cut = min((i for i in (body.find(c) for c in _CLAUSE_END) if i > 0), default=len(body))
            # A reason ends where the main clause resumes: "… because she was afraid said that …".
            words = body[:cut].split(" ")
            for k, w in enumerate(words[2:], 2):
                if w.lower() in lx.CUE_FORMS:
                    cut = len(" ".join(words[:k]))
                    break
            reason = body[:cut].strip()
            if len(reason.split()) >= 1:
                return reason, pos + body_at
    return None, None


def find_anonymity(text: str) -> list[AnonymityStatement]:
    """Every anonymity phrase in ``text`` (one sentence or unit) with its reason."""
    low = text.lower()
    found: list[AnonymityStatement] = []
    taken: list[tuple[int, int]] = []
    for trig in lx.ANONYMITY_TRIGGERS:
        i = low.find(trig)
        while i >= 0:
            end = i + len(trig)
            if not any(a <= i < b or a < end <= b for a, b in taken):
                reason, at = _reason_after(text, end)
                found.append(AnonymityStatement(i, end, reason, at))
                taken.append((i, end))
            i = low.find(trig, end)
    found.sort(key=lambda s: s.start)
    return found
