"""A readable ledger of one document for the terminal (``--format text``)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

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


def render_text(doc: Document, console: Console) -> None:
    """Sections, then each quote with its speaker, then numbers, then anonymous sources."""
    title = doc.title or "(no headline)"
    console.rule(f"[bold]{escape(title)}[/] — {escape(doc.source)} [{doc.status}]")
    for e in doc.errors:
        console.print(f"  [yellow]{e.code}[/] {escape(e.message)}")
    console.print("[bold]Sections[/]")
    for s in doc.sections:
        snippet = " ".join(s.text.split())
        snippet = snippet if len(snippet) <= 90 else snippet[:87] + "…"
        style = _SECTION_STYLE[s.kind] or "default"
        console.print(f"  [{style}]{s.kind:<11}[/] {s.start:>6}–{s.end:<6} {escape(snippet)}")
    console.print(f"[bold]Quotes[/] ({len(doc.quotes)})")
    for q in doc.quotes:
        sp = q.speaker
        who = (sp.name or sp.description or "?") if sp else "?"
        extra = f", {sp.role}" if sp and sp.role else ""
        extra += f" ({sp.affiliation})" if sp and sp.affiliation else ""
        text = q.text if len(q.text) <= 160 else q.text[:157] + "…"
        console.print(
            f"  [green]{q.kind:<8}[/] [bold]{escape(who)}[/]{escape(extra)} "
            f"[dim]{escape(q.cue or '')} @{q.start}[/]\n           “{escape(text)}”"
        )
    console.print(f"[bold]Numbers[/] ({len(doc.numbers)})")
    for n in doc.numbers:
        rng = _fmt(n.low) if n.low == n.high and n.low is not None else f"{_fmt(n.low)}–{_fmt(n.high)}"
        who = n.claimant.label()
        unit = f" {n.unit}" if n.unit else ""
        console.print(
            f"  [cyan]{escape(n.text):<22}[/] {rng}{unit}{' ~' if n.approximate else ''}  "
            f"counts: {escape(n.counts or '?')} [{n.category or '-'}]  claimed by: [bold]{escape(who)}[/]"
        )
    console.print(f"[bold]Anonymous sources[/] ({len(doc.anonymous_sources)})")
    for a in doc.anonymous_sources:
        console.print(f"  {escape(a.description)} — reason: {escape(a.reason or 'none given')}")
    console.print()
