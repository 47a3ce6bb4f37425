"""Russian and Ukrainian quotes and speakers on invented sentences (one rule per test)."""

from __future__ import annotations

import pytest

from claimledger.extract import extract


def _quotes(text: str) -> list[tuple[str, str, str | None, str]]:
    doc = extract(text, source="t.txt")
    return [(q.text, q.kind, q.speaker.name or q.speaker.description, q.speaker.type) for q in doc.quotes]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a plural speech verb without a subject, next to в/у + an institution: the institution speaks
        (
            "В Минобороны заявили, что за ночь над областью сбили 23 беспилотника.",
            [("за ночь над областью сбили 23 беспилотника", "indirect", "Минобороны", "organization")],
        ),
        (
            "Ремонт дорог в городе закончат к июлю, сообщили в пресс-службе мэрии.",
            [("Ремонт дорог в городе закончат к июлю", "indirect", "пресс-служба мэрии", "organization")],
        ),
        (
            "У Повітряних силах заявили, що над областю збили 23 безпілотники.",
            [("над областю збили 23 безпілотники", "indirect", "Повітряні сили", "organization")],
        ),
        # «в ведомстве» alone is the institution named before
        (
            "В Минздраве заявили, что больницы работают.\nКак уточнили в ведомстве, раненых уже выписали.",
            [
                ("больницы работают", "indirect", "Минздрав", "organization"),
                ("раненых уже выписали", "indirect", "Минздрав", "organization"),
            ],
        ),
        # a channel, a time or a subject of its own is not the speaker
        (
            "Жители заявили в интервью, что воды нет уже неделю.",
            [("воды нет уже неделю", "indirect", "Жители", "anonymous")],
        ),
    ],
)
def test_an_institution_speaks_through_a_plural_verb(text, expected):
    assert _quotes(text) == expected
