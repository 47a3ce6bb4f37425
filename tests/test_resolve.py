"""Cross-document speaker resolution: transliteration, surname-only mentions, roles, organisations, ids.

All names are invented.
"""

from __future__ import annotations

import random

import pytest

from claimledger.ledger.resolve import (
    FIRST_NAME_FORMS,
    CanonicalSpeaker,
    SpeakerRecord,
    first_name_label,
    org_parts,
    resolve_into,
    resolve_speakers,
    roles_compatible,
    speaker_key,
    translit_key,
)


def person(
    key: str, name: str | None, role: str | None = None, published: str | None = None
) -> SpeakerRecord:
    return SpeakerRecord(key=key, name=name, type="person", role=role, published=published)


def org(key: str, name: str, affiliation: str | None = None) -> SpeakerRecord:
    return SpeakerRecord(key=key, name=name, type="organization", affiliation=affiliation)


def owner(speakers: list[CanonicalSpeaker], record_key: str) -> CanonicalSpeaker:
    found = [s for s in speakers if record_key in s.records]
    assert len(found) == 1, found
    return found[0]


def together(speakers: list[CanonicalSpeaker], *keys: str) -> bool:
    return len({owner(speakers, k).id for k in keys}) == 1


# --- normalisation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ["Alexei", "Alexey", "Aleksei", "Aleksey"],
        ["Zelensky", "Zelenskyy", "Zelenskiy", "Zelenskii", "Zelenskij"],
        ["Dmitri", "Dmitry", "Dmitriy", "Dmitrii"],
        ["Yuri", "Yury", "Iurii", "Yuriy"],
        ["Sergei", "Sergey", "Sergej"],
        ["Yevgeny", "Evgeny", "Ievgeny", "Evgeniy"],
        ["Natalya", "Nataliya", "Natalia"],
        ["Tatyana", "Tatiana"],
        ["Mikhail", "Mihail"],
        ["Sergeyev", "Sergeev"],
        ["Kirill", "Kiril"],
    ],
)
def test_transliteration_variants_share_a_key(variants: list[str]) -> None:
    assert len({translit_key(v) for v in variants}) == 1


def test_distinct_names_keep_distinct_keys() -> None:
    assert translit_key("Mikhail") != translit_key("Alexei")
    assert translit_key("Lei") != translit_key("Li")  # the -ei ending rule needs a longer name
    assert translit_key("Tabalov") != translit_key("Tabalova")


def test_first_name_forms_across_languages() -> None:
    assert first_name_label("Serhiy") == first_name_label("Sergei") == "sergei"
    assert first_name_label("Oleksandr") == first_name_label("Olexander") == first_name_label("Alexander")
    assert first_name_label("Volodymyr") == first_name_label("Vladimir")
    assert first_name_label("Mikhail") != first_name_label("Alexei")


def test_first_name_forms_do_not_overlap() -> None:
    seen: dict[str, str] = {}
    for group in FIRST_NAME_FORMS:
        for form in group:
            key = translit_key(form)
            assert seen.setdefault(key, group[0]) == group[0], (form, seen[key])


def test_org_parts() -> None:
    assert org_parts("Russia's Ministry of Defence") == ("russia", "ministry of defense")
    assert org_parts("the Defense Ministry") == (None, "ministry of defense")
    assert org_parts("Ministry of Defence of the Russian Federation") == ("russia", "ministry of defense")
    assert org_parts("Foreign Ministry") == org_parts("Ministry of Foreign Affairs")
    assert org_parts("U.N.")[1] == org_parts("UN")[1] == org_parts("United Nations")[1] == "united nations"
    assert org_parts("the Defense Ministry", affiliation="Ukraine") == ("ukraine", "ministry of defense")


def test_role_compatibility() -> None:
    assert roles_compatible("governor", None)
    assert roles_compatible("governor", "regional governor")
    assert roles_compatible("spokesman", "spokeswoman for the ministry")
    assert roles_compatible("health minister", "deputy minister of health")
    assert not roles_compatible("governor", "deputy minister of health")
    assert not roles_compatible("lawyer", "soldier")
    assert not roles_compatible("minister of health", "minister of defence")


def test_speaker_key() -> None:
    assert speaker_key(person("d1:s1", "Alexey Tabalov")) == "p:tabalov:alexei"
    assert speaker_key(person("d1:s1", "Mr. Tabalov")) == "p:tabalov"
    assert speaker_key(org("d1:s2", "Russian Defense Ministry")) == "o:russia:ministry-of-defense"
    assert speaker_key(org("d1:s3", "the ministry")) is None
    assert speaker_key(SpeakerRecord("d1:s4", "a senior official", "anonymous")) is None
    assert speaker_key(SpeakerRecord("d1:s5", "the report", "document")) is None


# --- people ----------------------------------------------------------------------------------------

TABALOV = [
    person("d1:s1", "Alexei Tabalov", "spokesman", "2024-03-02"),
    person("d2:s1", "Alexey Tabalov", None, "2024-03-05"),
    person("d3:s2", "Aleksei Tabalov", "press secretary", "2024-02-20"),
    person("d4:s1", "Tabalov", None, "2024-03-09"),
    person("d5:s3", "Alexei Tabalov", None, "2024-03-10"),
]


def test_tabalov_variants_merge_with_evidence() -> None:
    speakers = resolve_speakers(TABALOV)
    assert len(speakers) == 1
    (tab,) = speakers
    assert tab.id == "p:tabalov:alexei"
    assert tab.type == "person"
    assert tab.name == "Alexei Tabalov"  # fullest, most frequent
    assert tab.aliases == ["Aleksei Tabalov", "Alexei Tabalov", "Alexey Tabalov", "Tabalov"]
    assert tab.records == ["d1:s1", "d2:s1", "d3:s2", "d4:s1", "d5:s3"]
    assert tab.roles == [("press secretary", "2024-02-20"), ("spokesman", "2024-03-02")]
    lines = {line.split(" = ")[0]: line for line in tab.evidence}
    assert set(lines) == {"'Aleksei Tabalov'", "'Alexey Tabalov'", "'Alexei Tabalov'", "'Tabalov'"}
    assert "same surname, first names are transliteration variants (alexey ~ ale" in lines["'Alexey Tabalov'"]
    assert "transliteration variants (aleksei ~ alexei)" in lines["'Aleksei Tabalov'"]
    assert lines["'Alexei Tabalov'"].startswith("'Alexei Tabalov' = 'Alexei Tabalov': identical spelling")
    assert lines["'Tabalov'"].startswith("'Tabalov' = 'Alexei Tabalov': surname-only mention")


def test_surname_only_joins_the_single_full_name() -> None:
    speakers = resolve_speakers(
        [
            person("d1:s1", "Irina Vostrikova", "mayor"),
            person("d2:s4", "Vostrikova", None),
            person("d3:s1", "Ms. Vostrikova", "mayor of the town"),
            person("d3:s2", "Pavel Gorshenin", "analyst"),
        ]
    )
    assert together(speakers, "d1:s1", "d2:s4", "d3:s1")
    assert not together(speakers, "d1:s1", "d3:s2")
    assert owner(speakers, "d2:s4").id == "p:vostrikova:irina"
    assert any("only person named Vostrikova" in e for e in owner(speakers, "d2:s4").evidence)


def test_surname_only_with_clashing_role_stays_apart() -> None:
    speakers = resolve_speakers(
        [person("d1:s1", "Irina Vostrikova", "lawyer"), person("d2:s1", "Vostrikova", "soldier")]
    )
    assert not together(speakers, "d1:s1", "d2:s1")


def test_transliterated_surnames_merge() -> None:
    speakers = resolve_speakers(
        [
            person("d1:s1", "Dmytro Korovenskyy", "governor"),
            person("d2:s1", "Dmitry Korovensky", None),
            person("d3:s1", "Korovenskiy", None),
        ]
    )
    assert together(speakers, "d1:s1", "d2:s1", "d3:s1")
    assert any("surnames are transliteration variants" in e for e in speakers[0].evidence)


def test_serhiy_and_sergei_merge_with_stated_reason() -> None:
    speakers = resolve_speakers([person("d1:s1", "Serhiy Ostapchuk"), person("d2:s1", "Sergei Ostapchuk")])
    assert len(speakers) == 1
    assert "forms of one name (" in speakers[0].evidence[0]


def test_titles_are_ignored_and_not_preferred_in_the_name() -> None:
    speakers = resolve_speakers(
        [
            person("d1:s1", "President Bohdan Yarmolenkyy", "president"),
            person("d2:s1", "Bohdan Yarmolenky", None),
            person("d3:s1", "B. Yarmolenkiy", None),
        ]
    )
    assert len(speakers) == 1
    assert speakers[0].id == "p:iarmolenki:bohdan"
    assert speakers[0].name == "Bohdan Yarmolenky"
    assert any("initial B. matches" in e for e in speakers[0].evidence)


DROBNINS = [
    person("d21:s1", "Mikhail Drobnin", "governor", "2024-01-10"),
    person("d22:s1", "Alexei Drobnin", "deputy minister of health", "2024-01-12"),
    person("d23:s1", "Drobnin", None, "2024-01-15"),
]


def test_drobnins_with_different_first_names_stay_apart() -> None:
    speakers = resolve_speakers(DROBNINS[:2])
    assert len(speakers) == 2
    assert {s.id for s in speakers} == {"p:drobnin:mikhail", "p:drobnin:alexei"}
    assert all(not s.evidence for s in speakers)


def test_same_name_with_clashing_roles_stays_apart() -> None:
    speakers = resolve_speakers(
        [person("d1:s1", "Ivan Petrichenko", "lawyer"), person("d2:s1", "Ivan Petrichenko", "soldier")]
    )
    assert len(speakers) == 2
    assert len({s.id for s in speakers}) == 2
    assert "p:petrichenko:ivan" in {s.id for s in speakers}


def test_ambiguous_bare_surname_stays_apart() -> None:
    speakers = resolve_speakers(DROBNINS)
    assert len(speakers) == 3
    bare = owner(speakers, "d23:s1")
    assert bare.records == ["d23:s1"]
    assert bare.id == "p:drobnin#d23:s1"
    assert not bare.evidence


def test_role_disambiguates_bare_surname() -> None:
    speakers = resolve_speakers([*DROBNINS, person("d24:s1", "Drobnin", "regional governor")])
    assert together(speakers, "d21:s1", "d24:s1")
    assert not together(speakers, "d22:s1", "d24:s1")
    assert any(
        "the only Drobnin with a compatible role (regional governor)" in e
        for e in owner(speakers, "d24:s1").evidence
    )


# --- organisations ---------------------------------------------------------------------------------

MINISTRIES = [
    org("d1:o1", "the Defense Ministry"),
    org("d2:o1", "Russia's Ministry of Defence"),
    org("d3:o1", "Ministry of Defense"),
    org("d4:o1", "Russian Defense Ministry"),
    org("d5:o1", "the ministry of defence"),
]


def test_ministry_variants_merge() -> None:
    speakers = resolve_speakers(MINISTRIES)
    assert len(speakers) == 1
    (mod,) = speakers
    assert mod.id == "o:russia:ministry-of-defense"
    assert mod.type == "organization"
    assert len(mod.records) == 5
    assert len(mod.evidence) == 4
    assert all("same organisation after normalisation (ministry of defense)" in e for e in mod.evidence)


def test_health_and_defence_ministries_stay_apart() -> None:
    speakers = resolve_speakers(
        [*MINISTRIES, org("d6:o1", "Ministry of Health"), org("d7:o1", "Health Ministry")]
    )
    assert together(speakers, "d6:o1", "d7:o1")
    assert not together(speakers, "d1:o1", "d6:o1")
    assert not together(speakers, "d2:o1", "d7:o1")


def test_russian_and_ukrainian_defence_ministries_stay_apart() -> None:
    speakers = resolve_speakers(
        [
            org("d1:o1", "Russia's Ministry of Defence"),
            org("d2:o1", "Russian Defense Ministry"),
            org("d3:o1", "Ukraine's Defence Ministry"),
            org("d4:o1", "Ministry of Defence of Ukraine"),
            org("d5:o1", "the Defense Ministry"),  # no country, two candidates: stays apart
            org("d6:o1", "the Defense Ministry", affiliation="Ukraine"),
        ]
    )
    assert together(speakers, "d1:o1", "d2:o1")
    assert together(speakers, "d3:o1", "d4:o1", "d6:o1")
    assert not together(speakers, "d1:o1", "d3:o1")
    assert not together(speakers, "d5:o1", "d1:o1")
    assert not together(speakers, "d5:o1", "d3:o1")
    assert owner(speakers, "d3:o1").id == "o:ukraine:ministry-of-defense"


def test_united_nations_forms_merge() -> None:
    speakers = resolve_speakers(
        [org("d1:o1", "the U.N."), org("d2:o1", "UN"), org("d3:o1", "United Nations")]
    )
    assert [s.id for s in speakers] == ["o:united-nations"]


def test_generic_organisations_never_merge() -> None:
    speakers = resolve_speakers([org("d1:o1", "the ministry"), org("d2:o1", "the ministry")])
    assert len(speakers) == 2


# --- never merged ----------------------------------------------------------------------------------


def test_anonymous_document_unknown_never_merge() -> None:
    records = [
        SpeakerRecord("d1:a1", "a senior official", "anonymous"),
        SpeakerRecord("d2:a1", "a senior official", "anonymous"),
        SpeakerRecord("d3:a1", None, "anonymous", description="a source close to the ministry"),
        SpeakerRecord("d1:r1", "the report", "document"),
        SpeakerRecord("d2:r1", "the report", "document"),
        SpeakerRecord("d4:u1", "they", "unknown"),
        SpeakerRecord("d5:u1", "they", "unknown"),
    ]
    speakers = resolve_speakers(records)
    assert len(speakers) == len(records)
    assert all(len(s.records) == 1 and not s.evidence for s in speakers)
    assert owner(speakers, "d1:a1").id == "a#d1:a1"
    assert owner(speakers, "d3:a1").name == "a source close to the ministry"


# --- ids and order ---------------------------------------------------------------------------------

ALL = [
    *TABALOV,
    *DROBNINS,
    *MINISTRIES,
    org("d6:o1", "Ministry of Health"),
    person("d7:s1", "Ivan Petrichenko", "lawyer"),
    person("d8:s1", "Ivan Petrichenko", "soldier"),
    SpeakerRecord("d1:a1", "a senior official", "anonymous"),
]


def _as_tuples(speakers: list[CanonicalSpeaker]) -> list[tuple]:
    return [
        (s.id, s.name, s.type, s.aliases, s.roles, s.affiliations, s.records, s.evidence) for s in speakers
    ]


def test_ids_are_stable_across_runs_and_input_order() -> None:
    assert len({r.key for r in ALL}) == len(ALL)
    first = resolve_speakers(ALL)
    assert [s.id for s in first] == sorted(s.id for s in first)
    assert len({s.id for s in first}) == len(first)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = list(ALL)
        rng.shuffle(shuffled)
        assert _as_tuples(resolve_speakers(shuffled)) == _as_tuples(first)
    assert _as_tuples(resolve_speakers(reversed(ALL))) == _as_tuples(first)


def test_resolve_into_keeps_existing_ids() -> None:
    existing = resolve_speakers([*TABALOV[:3], *DROBNINS[:2], *MINISTRIES[:2]])
    before = {s.id: list(s.records) for s in existing}
    new = [
        person("d9:s1", "Aleksey Tabalov", "spokesman"),
        person("d9:s2", "Drobnin", "governor"),
        org("d9:o1", "the Ministry of Defence"),
        person("d9:s3", "Nadia Kolomiets", "nurse"),
    ]
    after = resolve_into(existing, new)
    ids = {s.id for s in after}
    assert set(before) <= ids
    for s in after:
        if s.id in before:
            assert set(before[s.id]) <= set(s.records)
    assert owner(after, "d9:s1").id == "p:tabalov:alexei"
    assert owner(after, "d9:s2").id == "p:drobnin:mikhail"
    assert owner(after, "d9:o1").id == "o:russia:ministry-of-defense"
    assert owner(after, "d9:s3").id == "p:kolomiets:nadia"
    assert {s.id for s in existing} == set(before)  # the input list is not modified
    # adding the same records again changes nothing
    assert _as_tuples(resolve_into(after, new)) == _as_tuples(after)


def test_resolve_into_keeps_surname_only_id_when_full_name_arrives() -> None:
    existing = resolve_speakers([person("d1:s1", "Kuzmenko", "mayor")])
    assert [s.id for s in existing] == ["p:kuzmenko"]
    after = resolve_into(existing, [person("d2:s1", "Larysa Kuzmenko", "mayor")])
    assert [s.id for s in after] == ["p:kuzmenko"]
    assert after[0].name == "Larysa Kuzmenko"
    assert after[0].records == ["d1:s1", "d2:s1"]
    assert any("full name of the only surname-only speaker" in e for e in after[0].evidence)


def test_resolve_into_new_cluster_avoids_taken_id() -> None:
    existing = resolve_speakers([person("d1:s1", "Ivan Petrichenko", "lawyer")])
    after = resolve_into(existing, [person("d2:s1", "Ivan Petrichenko", "soldier")])
    assert owner(after, "d1:s1").id == "p:petrichenko:ivan"
    assert owner(after, "d2:s1").id.startswith("p:petrichenko:ivan~")


# --- across scripts ------------------------------------------------------------------------------


def test_cyrillic_and_latin_spellings_of_one_person_merge() -> None:
    speakers = resolve_speakers(
        [
            person("ru:s1", "Алексей Табалов", "юрист"),
            person("uk:s1", "Олексій Табалов"),
            person("en:s1", "Alexei Tabalov", "lawyer"),
        ]
    )
    assert together(speakers, "ru:s1", "uk:s1", "en:s1")
    assert owner(speakers, "en:s1").id == "p:tabalov:alexei"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Алексей Табалов", "Михаил Табалов"),
        ("Олексій Табалов", "Mikhail Tabalov"),
        ("Дарья Мельнек", "Мария Мельнек"),
    ],
)
def test_two_people_with_one_surname_in_either_script_stay_apart(a: str, b: str) -> None:
    speakers = resolve_speakers([person("d1:s1", a), person("d2:s1", b)])
    assert not together(speakers, "d1:s1", "d2:s1")


@pytest.mark.parametrize(
    "variants", [["Табалов", "Tabalov"], ["Дробнин", "Дробнін", "Drobnin"], ["Мельнек", "Melnek"]]
)
def test_cyrillic_surnames_share_the_latin_key(variants: list[str]) -> None:
    assert len({translit_key(v) for v in variants}) == 1
