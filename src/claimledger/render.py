"""A readable ledger of one document for the terminal (``--format text``).

Every value from a document goes out as a :class:`~rich.text.Text` span, never through console
markup: a quote's ``[sic]`` or ``[the town]``, a name with ``[bold]`` or ``:smile:`` in it prints
exactly as it is.
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from .model import Document

_SECTION_STYLE = {
    "headline": "bold",
    "body": "",
    "commentary": "magenta",
    "comments": "cyan",
    "boilerplate": "dim",
}


def _fmt(v: float | None) -> str:
    if v is None:
        return "…"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:g}"


def _line(*parts: str | tuple[str, str]) -> Text:
    """One output line from plain strings and (string, style) pairs; nothing is parsed as markup."""
    return Text.assemble(*parts, no_wrap=False)


def render_text(doc: Document, console: Console) -> None:
    """Sections, then each quote with its speaker, then numbers, then anonymous sources."""
    title = doc.title or "(no headline)"
    console.rule(_line((title, "bold"), f" — {doc.source} [{doc.status}]"))
    for e in doc.errors:
        console.print(_line("  ", (e.code, "yellow"), " ", e.message))
    console.print(_line(("Sections", "bold")))
    for s in doc.sections:
        snippet = " ".join(s.text.split())
        snippet = snippet if len(snippet) <= 90 else snippet[:87] + "…"
        style = _SECTION_STYLE.get(s.kind) or "default"
        console.print(_line("  ", (f"{s.kind:<11}", style), f" {s.start:>6}–{s.end:<6} ", snippet))
    console.print(_line(("Quotes", "bold"), f" ({len(doc.quotes)})"))
    for q in doc.quotes:
        sp = q.speaker
        who = (sp.name or sp.description or "?") if sp else "?"
        extra = f", {sp.role}" if sp and sp.role else ""
        extra += f" ({sp.affiliation})" if sp and sp.affiliation else ""
        # The quote is printed whole: an abridged quotation would be a misquotation.
        console.print(
            _line(
                "  ",
                (f"{q.kind:<8}", "green"),
                " ",
                (who, "bold"),
                extra,
                " ",
                (f"{q.cue or ''} @{q.start}", "dim"),
                f"\n           “{q.text}”",
            )
        )
    console.print(_line(("Numbers", "bold"), f" ({len(doc.numbers)})"))
    for n in doc.numbers:
        rng = _fmt(n.low) if n.low == n.high and n.low is not None else f"{_fmt(n.low)}–{_fmt(n.high)}"
        who = n.claimant.label()
        unit = f" {n.unit}" if n.unit else ""
        console.print(
            _line(
                "  ",
                (f"{n.text:<22}", "cyan"),
                f" {rng}{unit}{' ~' if n.approximate else ''}  counts: {n.counts or '?'} "
                f"[{n.category or '-'}]  claimed by: ",
                (who, "bold"),
            )
        )
    console.print(_line(("Anonymous sources", "bold"), f" ({len(doc.anonymous_sources)})"))
    for a in doc.anonymous_sources:
        console.print(_line(f"  {a.description} — reason: {a.reason or 'none given'}"))
    console.print()
