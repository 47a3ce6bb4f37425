"""Russian and Ukrainian extraction on invented sentences: language, numbers, quotes, speakers."""

from __future__ import annotations

import pytest

from claimledger.cyrillic.detect import detect_language
from claimledger.cyrillic.numbers import find_numbers
from claimledger.cyrillic.tokens import paragraphs
from claimledger.model import Section


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Губернатор заявил, что эвакуация продолжится ещё неделю.", "ru"),
        ("Губернатор заявив, що евакуація триватиме ще тиждень.", "uk"),
        ("The governor said the evacuation would go on for a week.", "en"),
        ("Это уже не вербовка, а мобилизация: так считают родственники заключенных.", "ru"),
        ("Журналіст закликав допомагати армії, яка зараз воює на сході.", "uk"),
        ("東京で会議が開かれた。", "und"),
    ],
)
def test_language_of_a_document(text, lang):
    assert detect_language(text) == lang


def _numbers(text: str, lang: str):
    paras = paragraphs(text, [Section("body", 0, len(text), text)], lang)
    return [
        (text[n.start : n.end], n.low, n.high)
        for p in paras
        for s in p.sentences
        for n in find_numbers(text, s, lang)
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Эвакуированы 12 500 жителей.", "ru", [("12 500", 12500, 12500)]),
        ("Эвакуированы 12\u00a0500 жителей.", "ru", [("12\u00a0500", 12500, 12500)]),
        ("Ущерб оценили в 2,4 млн рублей.", "ru", [("2,4 млн", 2_400_000, 2_400_000)]),
        ("Погибли от 167-235 тыс. человек.", "ru", [("167-235 тыс", 167_000, 235_000)]),
        ("Из города уехали более 15 тысяч человек.", "ru", [("более 15 тысяч", 15_000, None)]),
        ("В лагере живут около двух тысяч беженцев.", "ru", [("около двух тысяч", 2000, 2000)]),
        ("Приехали триста двадцать пять добровольцев.", "ru", [("триста двадцать пять", 325, 325)]),
        ("Сотни людей вышли на улицы.", "ru", [("Сотни", 200, 999)]),
        ("Пострадали десятки тысяч человек.", "ru", [("десятки тысяч", 20_000, 99_999)]),
        ("Сгорели несколько десятков домов.", "ru", [("несколько десятков", 20, 99)]),
        ("Он ждал полгода.", "ru", [("полгода", 0.5, 0.5)]),
        ("Ему осталось полтора года.", "ru", [("полтора", 1.5, 1.5)]),
        ("Мы не могли дозвониться около недели.", "ru", [("около недели", 1, 1)]),
        ("Задержаны до 60 человек.", "ru", [("до 60", None, 60)]),
        ("Явка составила свыше 40%.", "ru", [("свыше 40%", 0.4, None)]),
        # skipped: dates, years, ordinals, ages, identifiers, anchors, "one of"
        ("3 мая 2024 года в 12-й школе 31-летний боец из ИК-25 полка 1452 выступил.", "ru", []),
        ("Два месяца назад одна из жен написала письмо.", "ru", []),
        ("До лав армії мобілізують 300 тисяч резервістів.", "uk", [("300 тисяч", 300_000, 300_000)]),
        ("Госпіталь приймає щодня десятки поранених.", "uk", [("десятки", 20, 99)]),
        ("Прибуття десятків тисяч мобілізованих.", "uk", [("десятків тисяч", 20_000, 99_999)]),
        ("Виїхали понад тисячу людей.", "uk", [("понад тисячу", 1000, None)]),
        ("Загинули щонайменше 45 цивільних.", "uk", [("щонайменше 45", 45, None)]),
        ("Близько 2,4 млн людей лишилися без світла.", "uk", [("Близько 2,4 млн", 2_400_000, 2_400_000)]),
        ("Оголосять до кінця 2024 року, а три роки тому було інакше.", "uk", []),
        # clock times, date ranges, codes glued to letters and ages after a dative pronoun are skipped
        ("В 12:30 прозвучали 3 взрыва.", "ru", [("3", 3, 3)]),
        ("Опрос провели 15–17 марта.", "ru", []),
        ("МОСКВА, 5 мар — агентство.", "ru", []),
        ("КИЇВ, 5 бер — агентство.", "uk", []),
        ("Погибли 298 пассажиров рейса MH17.", "ru", [("298", 298, 298)]),
        ("Ему 45 лет, его брату 40-летнему тоже.", "ru", []),
        # a cardinal with its case ending; half as a separate word
        ("Поранено 12-ох людей, загинули 5-ти.", "uk", [("12-ох", 12, 12), ("5-ти", 5, 5)]),
        ("Пів мільйона людей евакуйовано.", "uk", [("Пів мільйона", 500_000, 500_000)]),
        # a vague singular (десятка: a dozen) after a hedge in the genitive
        ("Близько десятка машин згоріли.", "uk", [("Близько десятка", 10, 14)]),
    ],
)
def test_number_expressions(text, lang, expected):
    assert _numbers(text, lang) == expected


RU_PAGE = (
    "Мэр Корваша Игнат Сомов заявил, что мост откроют через две недели.\n"
    "«Подрядчик уже работает», — сказал Сомов.\n"
    "По его словам, ремонт обойдётся в 340 млн рублей.\n"
)


def test_a_russian_page_past_its_budget_stops_with_the_code():
    from claimledger import extract_many
    from claimledger.settings import Settings

    (doc,) = extract_many([("ru.txt", RU_PAGE)], Settings(doc_timeout_s=1e-9))
    assert doc.language == "ru"
    assert doc.status == "failed"
    assert [e.code for e in doc.errors if e.code != "CL-E060"] == ["CL-E009"]  # CL-E060: no date line
    assert doc.quotes == [] and doc.numbers == []


def test_a_russian_page_stops_between_paragraphs_when_its_budget_runs_out(monkeypatch):
    from claimledger.cyrillic import analyse
    from claimledger.deadline import Deadline
    from claimledger.extract import extract as extract_one
    from claimledger.settings import Settings

    # (the full run also leaves the sentences parsed, so the batch parse below checks no budget)
    full = extract_one(RU_PAGE, source="ru.txt", settings=Settings(doc_timeout_s=60))
    assert full.status == "ok" and len(full.quotes) == 3
    doc = extract_one(RU_PAGE, source="ru.txt", settings=Settings(doc_timeout_s=60))
    doc.quotes, doc.numbers, doc.errors = [], [], []
    budget = Deadline(60)
    calls = {"n": 0}
    real = Deadline.expired

    def expires_after_two_checks(self):  # the third check (third paragraph) finds the time gone
        calls["n"] += 1
        return calls["n"] > 2 or real(self)

    monkeypatch.setattr(Deadline, "expired", expires_after_two_checks)
    analyse(doc, budget)
    assert doc.status == "partial" and [e.code for e in doc.errors] == ["CL-E009"]
    assert [q.text for q in doc.quotes] == [q.text for q in full.quotes[:2]]


def test_a_cycle_in_the_parsers_heads_does_not_hang_the_subtree():
    from claimledger.cyrillic.syntax import Parse, SynToken

    toks = tuple(SynToken(k, k + 1, "x", head, "dep", "NOUN", {}) for k, head in enumerate([1, 2, 0]))
    assert Parse(toks, ()).subtree(0) == (0, 2)


@pytest.mark.parametrize(
    "text",
    [
        "«\n—\n:\n«»\nПо словам,\nКак сообщил\n— сказал он.\n",
        "Заявил:\n«\n«\n«Мы",
        "«А, — , — б»",
        "Он отметил:\n«A\n«B\n«C",
        "Як повідомляв «",
        "Ивана называть пів попросившая губернатора словам 500 Как ее заявили 500 мільйона Как ее \n"
        " Ивана 500",
    ],
)
def test_broken_russian_and_ukrainian_text_is_extracted_without_error(text):
    from claimledger.extract import extract

    doc = extract(text, source="t.txt")
    assert doc.status != "failed", doc.errors


def test_the_russian_models_run_on_one_blas_thread_and_the_count_is_restored():
    from claimledger.cyrillic.blas import _controls, single_thread

    controls = _controls()
    if controls is None:
        pytest.skip("numpy is not built on a recognisable OpenBLAS here")
    getter, setter = controls
    before = getter()
    setter(2)
    try:
        with single_thread():
            assert getter() == 1
        assert getter() == 2
    finally:
        setter(before)


@pytest.mark.parametrize(
    ("text", "lang", "counted"),
    [
        ("В той войне со всех сторон погибло около 40 тыс., включая мирных жителей.", "ru", "погибло"),
        ("Общие потери полка составляют сейчас не меньше 900.", "ru", "потери полка"),
        ("Загальні втрати батальйону сягнули 300, повідомив командир.", "uk", "втрати батальйону"),
        ("Власти эвакуировали 300 жителей села.", "ru", "жителей"),
    ],
)
def test_a_figure_that_ends_its_clause_counts_the_words_before_it(text, lang, counted):
    paras = paragraphs(text, [Section("body", 0, len(text), text)], lang)
    (number,) = [n for p in paras for s in p.sentences for n in find_numbers(text, s, lang)]
    assert counted in (number.counts or ""), number.counts
