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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # «по его данным», «за його даними»: a possessive inside the according-to phrase
        (
            "Губернатор Олег Прудков сообщил о налёте.\nПо его данным, повреждены 14 домов.",
            ("повреждены 14 домов", "indirect", "Олег Прудков", "person"),
        ),
        (
            "Голова області Олег Прудков повідомив про атаку.\nЗа його даними, пошкоджено 14 будинків.",
            ("пошкоджено 14 будинків", "indirect", "Олег Прудков", "person"),
        ),
        # a surname the dictionary reads as an adjective still follows the first name
        (
            "Міська голова Анна Вітрова розповіла, що притулки переповнені.",
            ("притулки переповнені", "indirect", "Анна Вітрова", "person"),
        ),
        # an addressee in marks between the verb and «что»/«що»
        (
            "Мэр Анна Ветрова рассказала «Вечернему Корвашу», что мост откроют в мае.",
            ("мост откроют в мае", "indirect", "Анна Ветрова", "person"),
        ),
        # an organisation named in marks keeps its closing mark
        (
            "По информации издания «Вечерний Корваш», в городе слышали взрывы.",
            ("в городе слышали взрывы", "indirect", "издание «Вечерний Корваш»", "organization"),
        ),
    ],
)
def test_attribution_phrases_and_names(text, expected):
    assert _quotes(text)[-1] == expected


@pytest.mark.parametrize(
    ("text", "speaker", "cited"),
    [
        ("Агентство Reuters со ссылкой на источники сообщило о сотнях раненых.", "Агентство Reuters",
         "источники"),
        ("Агентство Reuters з посиланням на джерела повідомило про сотні поранених.", "Агентство Reuters",
         "джерела"),
    ],
)
def test_a_relay_speaks_and_the_unnamed_sources_it_cites_are_anonymous(text, speaker, cited):
    doc = extract(text, source="t.txt")
    assert [q.speaker.name for q in doc.quotes] == [speaker]
    assert [a.description for a in doc.anonymous_sources] == [cited]
    assert doc.numbers[0].claimant.speaker.name == speaker


def test_a_relay_of_a_named_source_lists_no_anonymous_source():
    doc = extract("Агентство Reuters со ссылкой на ТАСС сообщило о сотнях раненых.", source="t.txt")
    assert doc.anonymous_sources == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "В докладе ООН говорится, что регион покинули 200 тысяч человек.",
            [("регион покинули 200 тысяч человек", "indirect", "доклад ООН", "document")],
        ),
        (
            "«Нам нужно больше помощи», — говорится в обращении волонтеров.",
            [("Нам нужно больше помощи", "direct", "обращение волонтеров", "document")],
        ),
        (
            "У спільній заяві міністрів ідеться, що допомогу надішлють.",
            [("допомогу надішлють", "indirect", "спільна заява міністрів", "document")],
        ),
    ],
)
def test_a_document_speaks_through_an_impersonal_verb(text, expected):
    assert _quotes(text) == expected


def test_an_attributed_headline_is_resolved_to_the_speaker_named_in_the_body():
    text = (
        "Глава Корвашской области: «Ситуация под контролем»\n"
        "Глава Корвашской области Роман Лесков заявил, что угрозы нет.\n"
    )
    assert _quotes(text)[0] == ("Ситуация под контролем", "direct", "Роман Лесков", "person")


def test_a_topic_before_a_headline_colon_is_not_a_speaker():
    text = "Паводок в Варенко: из домов ушли 13 тысяч человек\nВода продолжает подниматься.\n"
    assert _quotes(text) == []


def test_a_pronoun_refers_to_a_person_named_in_a_sentence_without_a_quote():
    text = (
        "Пресс-секретарь мэра Дмитрий Костин отказался от комментариев.\n"
        "«Это не наш вопрос», — сказал он.\n"
    )
    assert _quotes(text) == [("Это не наш вопрос", "direct", "Дмитрий Костин", "person")]


def test_an_office_alone_refers_to_the_last_office_holder():
    text = (
        "Глава области Роман Лесков заявил, что угрозы нет.\n"
        "— Мы не будем эвакуировать город, — добавил губернатор.\n"
    )
    assert _quotes(text)[-1] == ("Мы не будем эвакуировать город,", "direct", "Роман Лесков", "person")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Энергетики работают круглосуточно, сообщает «Интерфакс».",
            [("Энергетики работают круглосуточно", "indirect", "Интерфакс", "organization")],
        ),
        (
            "Як повідомляв «Укрінформ», місто вже зазнавало обстрілу.",
            [("місто вже зазнавало обстрілу", "indirect", "Укрінформ", "organization")],
        ),
        (
            "Энергетики работают круглосуточно, отметили в компании «Корвашэнерго».",
            [("Энергетики работают круглосуточно", "indirect", "компания «Корвашэнерго»", "organization")],
        ),
    ],
)
def test_a_name_in_marks_after_the_verb_is_the_speaker(text, expected):
    assert _quotes(text) == expected


def test_a_tag_between_dashes_inside_the_marks_splits_the_quote():
    text = "Эксперт Андрей Волков дал интервью.\n«Я не исключаю, — сказал он, — что будут новые атаки».\n"
    assert _quotes(text) == [
        ("Я не исключаю,", "direct", "Андрей Волков", "person"),
        ("что будут новые атаки", "direct", "Андрей Волков", "person"),
    ]


def test_a_line_ending_with_a_cue_and_a_colon_introduces_the_marked_lines_after_it():
    text = (
        "Начальник штаба Сергей Лисин отметил:\n"
        "«Повреждены линии. Без света остаются 40 тысяч абонентов.\n"
        "«Ремонт займет сутки».\n"
        "Власти пока молчат.\n"
    )
    assert _quotes(text) == [
        ("Повреждены линии. Без света остаются 40 тысяч абонентов.", "direct", "Сергей Лисин", "person"),
        ("Ремонт займет сутки", "direct", "Сергей Лисин", "person"),
    ]


def test_one_of_a_group_is_an_unnamed_source_in_the_nominative_and_a_pronoun_refers_to_it():
    text = (
        "По словам одного из собеседников издания, списки уже готовы.\n"
        "«Речь идет о мужчинах без отсрочки», — пояснил он.\n"
    )
    assert _quotes(text) == [
        ("списки уже готовы", "indirect", "один из собеседников издания", "anonymous"),
        ("Речь идет о мужчинах без отсрочки", "direct", "один из собеседников издания", "anonymous"),
    ]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Один источник рассказал, что призыв начнется.\nДругой источник утверждает, что его отложат.\n",
         "Другой источник"),
        ("Одне джерело розповіло, що призов почнеться.\nІнше джерело стверджує, що його відкладуть.\n",
         "Інше джерело"),
    ],
)
def test_another_source_is_a_new_source(text, speaker):
    assert _quotes(text)[-1][2:] == (speaker, "anonymous")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Правозащитница Мария Светлова рассказала о семьях.\nЖенщина, попросившая не называть ее имени "
         "из соображений безопасности, рассказала, что ее мужа призвали.\n", "из соображений безопасности"),
        ("Правозахисниця Марія Світлова розповіла про родини.\nЖінка, яка попросила не називати її імені "
         "з міркувань безпеки, розповіла, що її чоловіка призвали.\n", "з міркувань безпеки"),
    ],
)
def test_a_speaker_who_asks_not_to_be_named_is_a_new_unnamed_source(text, reason):
    doc = extract(text, source="t.txt")
    assert doc.quotes[-1].speaker.type == "anonymous"
    assert [a.reason for a in doc.anonymous_sources] == [reason]


def test_a_clause_before_a_colon_is_indirect_and_the_marked_words_after_it_direct():
    text = "Аналитик Кирилл Сомов считает, что волна неизбежна: «Армия несет большие потери»."
    assert _quotes(text) == [
        ("волна неизбежна", "indirect", "Кирилл Сомов", "person"),
        ("Армия несет большие потери", "direct", "Кирилл Сомов", "person"),
    ]


def test_an_addressee_in_marks_after_the_verb_is_not_the_speaker():
    text = "Влада готує нову хвилю мобілізації, розповіли «Вечірньому Корвашу» два джерела в адміністрації."
    assert _quotes(text)[0][2:] == ("два джерела в адміністрації", "anonymous")


def test_an_infinitive_whose_object_is_the_figure_is_left_out_of_a_parenthetical_claim():
    text = "Если добавить около 23 тыс погибших (оценка Би-би-си), потери вырастут."
    assert _quotes(text) == [("около 23 тыс погибших", "indirect", "Би-би-си", "organization")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "По данным, опубликованным Минобороны, за сутки сбиты 20 ракет.",
            [("за сутки сбиты 20 ракет", "indirect", "Минобороны", "organization")],
        ),
        (
            "Ворог продовжує обстріли.\nЗа даними, оприлюдненими Генштабом, за добу знищено 20 ракет.",
            [("за добу знищено 20 ракет", "indirect", "Генштаб", "organization")],
        ),
        # the source named inside its own clause: the whole clause, the published document speaks
        (
            "В списках беженцев, составленных к зиме «Красным крестом», уже 12 тыс имен.",
            [
                (
                    "В списках беженцев, составленных к зиме «Красным крестом», уже 12 тыс имен",
                    "indirect",
                    "списки беженцев «Красного креста»",
                    "document",
                )
            ],
        ),
        ("В списках беженцев, составленных к зиме «Красным крестом», много имен.", []),
    ],
)
def test_a_participle_of_publishing_names_the_source(text, expected):
    assert _quotes(text) == expected


@pytest.mark.parametrize(
    ("text", "sources"),
    [
        # an unnamed subject of a speech verb is a source even without a reported clause
        ("Похожие истории рассказывают семьи других заключенных.", ["семьи других заключенных"]),
        # an unnamed relay is a source, and so are the unnamed sources it cites
        (
            "Про плани влади розповіли опозиційні журналісти з посиланням на джерела в уряді.",
            ["опозиційні журналісти", "джерела в уряді"],
        ),
        # a named speaker is not, even when the next line speaks of anonymity
        (
            "Віцегубернатор Петро Ганін наголосив: «Область допоможе».\n"
            "Джерело в уряді на умовах анонімності розповіло, що грошей немає.",
            ["Джерело в уряді"],
        ),
    ],
)
def test_unnamed_speakers_are_anonymous_sources(text, sources):
    doc = extract(text, source="t.txt")
    assert [a.description for a in doc.anonymous_sources] == sources


def test_an_emoji_that_opens_a_post_is_not_part_of_the_quote():
    text = "⚡️Окупанти вночі атакували Корваш 15 дронами.\nПро це повідомили в Повітряних силах."
    assert _quotes(text) == [
        ("Окупанти вночі атакували Корваш 15 дронами", "indirect", "Повітряні сили", "organization")
    ]


def test_a_group_noun_does_not_reach_back_past_another_speaker():
    text = (
        "Оккупанты ночью атаковали Корваш.\nОб этом сообщили в Воздушных силах.\n"
        "По информации военных, 12 дронов удалось сбить."
    )
    assert _quotes(text)[-1][2] != "Оккупанты ночью"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Мать одного из солдат, Ольга (имя изменено по ее просьбе), рассказала, что сын молчит.",
            [("Ольга", "по ее просьбе")],
        ),
        (
            "Мати одного з солдатів, Ольга (ім'я змінено на її прохання), розповіла, що син мовчить.",
            [("Ольга", "на її прохання")],
        ),
    ],
)
def test_a_changed_name_in_apposition_names_the_speaker(text, expected):
    doc = extract(text, source="t.txt")
    assert [q.speaker.name for q in doc.quotes] == ["Ольга"]
    assert [(a.description, a.reason) for a in doc.anonymous_sources] == expected


def test_a_speech_verb_in_a_relative_clause_is_not_the_cue():
    text = (
        "Джерело в Міноборони, яке говорило на умовах анонімності, оскільки не має права "
        "спілкуватися з пресою, повідомило, що втрати становлять близько 500 осіб."
    )
    doc = extract(text, source="t.txt")
    assert [(q.text, q.speaker.description) for q in doc.quotes] == [
        ("втрати становлять близько 500 осіб", "Джерело в Міноборони")
    ]
    assert [a.reason for a in doc.anonymous_sources] == ["не має права спілкуватися з пресою"]


def test_the_next_sentence_gives_the_reason_only_when_it_goes_on_about_the_source():
    text = (
        "Собеседник издания рассказал на условиях анонимности, что решение принято.\n"
        "Два чиновника, попросивших не называть их имен из-за опасений за свою безопасность, "
        "подтвердили, что списки готовы."
    )
    doc = extract(text, source="t.txt")
    assert [(a.description, a.reason) for a in doc.anonymous_sources] == [
        ("Собеседник издания", None),
        ("Два чиновника", "из-за опасений за свою безопасность"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Губернатор Роман Лесков заявил, что угрозы нет. Между тем в городе нет света.",
        "Губернатор Роман Лєсков заявив, що загрози немає. Тим часом у місті немає світла.",
    ],
)
def test_a_reporters_transition_ends_a_run_on_quote(text):
    assert len(_quotes(text)) == 1


def test_a_sentence_without_a_new_tag_runs_on_with_the_speaker():
    text = "Губернатор Роман Лесков заявил, что угрозы нет. Все службы работают в обычном режиме."
    assert [q[2] for q in _quotes(text)] == ["Роман Лесков", "Роман Лесков"]


@pytest.mark.parametrize(
    "text",
    [
        "Волонтеры передали военным 10 дронов.\nЖители написали письмо губернатору.",
        "Волонтери передали військовим 10 дронів.\nМешканці написали листа губернатору.",
    ],
)
def test_an_act_that_tells_nothing_makes_no_anonymous_source(text):
    assert extract(text, source="t.txt").anonymous_sources == []


def test_a_clause_opening_with_eto_before_a_comma_is_the_quote_not_a_pointer_back():
    text = "Эвакуация идет по плану.\nЭто не так, заявил ТАСС глава региона Иван Петров."
    assert _quotes(text) == [("Это не так", "indirect", "Иван Петров", "person")]


def test_about_this_points_back_to_the_sentence_before():
    text = "Эвакуация идет по плану.\nОб этом заявил глава региона Иван Петров."
    assert _quotes(text) == [("Эвакуация идет по плану", "indirect", "Иван Петров", "person")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Видання цитує міністра оборони Рустема Сомова: «Ми готові до будь-якого сценарію».",
         ("Ми готові до будь-якого сценарію", "direct", "Рустем Сомов", "person")),
        ("Издание цитирует министра Рустема Сомова: «Мы готовы к любому сценарию».",
         ("Мы готовы к любому сценарию", "direct", "Рустем Сомов", "person")),
        ("На переконання експерта Петра Гая, війна триватиме ще рік.",
         ("війна триватиме ще рік", "indirect", "Петро Гай", "person")),
        ("володимир путін заявив, що росія не зупиниться.",
         ("росія не зупиниться", "indirect", "володимир путін", "person")),
    ],
)
def test_names_in_oblique_cases_and_lower_case_names(text, expected):
    assert _quotes(text)[-1] == expected


@pytest.mark.parametrize(
    ("text", "texts"),
    [
        ("Речник Іван Гай сказав, що армія утримує позиції, і додав, що втрати ворога значні.",
         ["армія утримує позиції", "втрати ворога значні"]),
        ("Представитель Иван Гай сказал, что армия держит позиции, и добавил, что потери велики.",
         ["армия держит позиции", "потери велики"]),
    ],
)
def test_a_second_speech_verb_inside_the_clause_starts_a_second_quote(text, texts):
    assert [q[0] for q in _quotes(text)] == texts


def test_a_block_quote_ends_where_the_reporter_moves_on():
    text = (
        "Вот что пишет Иван Петров:\nМы стояли под дождем весь день.\nНикто не пришел.\n"
        "Напомним, ранее в городе прошли обыски.\n"
    )
    assert [q[0] for q in _quotes(text)] == ["Мы стояли под дождем весь день.", "Никто не пришел."]


def test_a_credit_line_with_a_colon_is_not_an_attributed_headline():
    assert _quotes("Автор: Иван Петров\nВода поднимается.\n") == []
