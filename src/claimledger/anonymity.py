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
# The partial name after a name-giving trigger: "Dana", "Svetlana A.", "Liis".
_GIVEN_NAME = re.compile(r",?\s*([A-Z][\w’'-]{1,30}(?:\s[A-Z]\.)?)(?=[\s,.;)]|$)")
_CLAUSE_END = (",", ";", ".", " —", " –", ")", ":", "?", "!", "\n", "”", '"')


@dataclass(slots=True)
class AnonymityStatement:
    start: int  # offsets of the trigger phrase, local to the text given
    end: int
    reason: str | None
    reason_start: int | None
    name: str | None = None  # the partial name given instead ("gave only her first name, Dana")


def _until_main_clause(reason: str) -> str:
    """A reason ends where the main clause resumes: "… because she was afraid said that …"."""
    words = reason.split(" ")
    for k, w in enumerate(words[2:], 2):
        if w.lower() in lx.CUE_FORMS:
            return " ".join(words[:k]).strip()
    return reason.strip()


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
            if conn.startswith("for fear"):
                body_at = lead + len("for ")  # the labels keep "fear of reprisals", not "for"
            body = rest[body_at:]
            cut = min((i for i in (body.find(c) for c in _CLAUSE_END) if i > 0), default=len(body))
            reason = _until_main_clause(body[:cut])
            if len(reason.split()) >= 1:
                return reason, pos + body_at
    return None, None


def _stated(low: str, trig: str, at: int) -> bool:
    """A trigger that needs a refusal before it ("would not let me use their names") has one."""
    if trig not in lx.NEEDS_REFUSAL:
        return True
    words = re.findall(r"[a-z’']+", low[max(0, at - 40) : at])
    return any(w in lx.REFUSALS or w.endswith(("n't", "n’t")) for w in words)


def find_anonymity(text: str) -> list[AnonymityStatement]:
    """Every anonymity phrase in ``text`` (one sentence or unit) with its reason."""
    low = text.lower()
    found: list[AnonymityStatement] = []
    taken: list[tuple[int, int]] = []
    for trig in lx.ANONYMITY_TRIGGERS:
        i = low.find(trig)
        while i >= 0:
            end = i + len(trig)
            if not any(a <= i < b or a < end <= b for a, b in taken) and _stated(low, trig, i):
                reason, at = _reason_after(text, end)
                name = None
                if trig in lx.NAME_GIVING_TRIGGERS and (m := _GIVEN_NAME.match(text, end)):
                    name = m.group(1)
                found.append(AnonymityStatement(i, end, reason, at, name))
                taken.append((i, end))
            i = low.find(trig, end)
    _add_unauthorised(text, found)
    found.sort(key=lambda s: s.start)
    return found


# "who was not authorised to speak publicly": the usual stated reason for withholding a name,
# often given before the anonymity phrase or instead of one.
_UNAUTHORISED = re.compile(
    r"\bnot (?:authori[sz]ed|allowed|permitted|cleared) to "
    r"(?:speak|discuss|comment|talk|brief)[^,.;:—–()\n]{0,100}"
)
_REASON_TAIL = re.compile(r" and (?:asked|requested|spoke|declined|insisted|did not)\b.*$")


def _add_unauthorised(text: str, found: list[AnonymityStatement]) -> None:
    """Give a reasonless anonymity statement the "not authorised to speak" clause of its sentence,
    or record that clause as the statement when the text has no other anonymity phrase."""
    for m in _UNAUTHORISED.finditer(text):
        reason = _until_main_clause(_REASON_TAIL.sub("", m.group(0)))
        bare = [st for st in found if st.reason is None and abs(st.start - m.start()) < 200]
        if bare:
            bare[0].reason, bare[0].reason_start = reason, m.start()
        elif not any(st.start <= m.start() <= st.end + 300 for st in found):
            found.append(AnonymityStatement(m.start(), m.start() + len(reason), reason, m.start()))
