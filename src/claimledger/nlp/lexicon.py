"""Word lists behind attribution: reporting cues and the nouns that type a speaker.

The lists are data (``claimledger/lexicons/en/cues.toml``, ``people.toml``, ``anonymity.toml``),
each with its reason; this module gives them the names the rules use. Everything is lowercase;
verbs are lemmas unless a name says forms.
"""

from __future__ import annotations

from ..lexicons import Lexicon, load

#: The English lexicon, for the lists a module reads directly (``lx.EN.words("not_sources")``).
EN = _EN = load("en")
_w = _EN.words

SPEECH_VERBS: frozenset[str] = _w("speech_verbs")
FINDING_VERBS: frozenset[str] = _w("finding_verbs")
FINDING_SOURCES: frozenset[str] = _w("finding_sources")
CHARACTERISE_VERBS: frozenset[str] = _w("characterise_verbs")
COUNT_REPORT_VERBS: frozenset[str] = _w("count_report_verbs")
COUNT_ONLY_VERBS: frozenset[str] = _w("count_only_verbs")
FIGURE_AT_VERBS: frozenset[str] = _w("figure_at_verbs")
FIGURE_OF_VERBS: frozenset[str] = _w("figure_of_verbs")
FIGURE_TO_VERBS: frozenset[str] = _w("figure_to_verbs")
FIGURE_NOUNS: frozenset[str] = _w("figure_nouns")
# Number words that carry a figure without a digit ("put the toll at dozens"): the one-word vague
# quantities of the number rules, and "half".
VAGUE_FIGURES: frozenset[str] = frozenset(k for k in _EN.ranges("vague_words") if " " not in k) | {"half"}
NOT_REPORTING_HEADS: frozenset[str] = _w("not_reporting_heads")
RECORDING_VERBS: frozenset[str] = _w("recording_verbs")
STANCE_VERBS: frozenset[str] = _w("stance_verbs")
ACCUSE_VERBS: frozenset[str] = _w("accuse_verbs")
INFINITIVE_CUES: frozenset[str] = _w("infinitive_cues")
DOCUMENT_NOUNS: frozenset[str] = _w("document_nouns")
ORGANIZATION_NOUNS: frozenset[str] = _w("organization_nouns")
PEOPLE_WHEN_PLURAL: frozenset[str] = _w("people_when_plural")
PERSON_NOUNS: frozenset[str] = _w("person_nouns")
PROFESSION_NOUNS: frozenset[str] = _w("profession_nouns")
KIN_NOUNS: frozenset[str] = _w("kin_nouns")
OFFICE_NOUNS: frozenset[str] = _w("office_nouns")
FEMALE_NOUNS: frozenset[str] = _w("female_nouns")
MALE_NOUNS: frozenset[str] = _w("male_nouns")

# Titles dropped from a speaker's name, abbreviated ones with and without their period.
_ABBREVIATED = _w("honorifics") | _w("title_abbreviations") | _w("title_abbreviations_split")
TITLES: frozenset[str] = _w("titles") | _ABBREVIATED | {a + "." for a in _ABBREVIATED}


def title_abbreviations(lexicon: Lexicon) -> tuple[str, ...]:
    """Abbreviated titles the stock tokenizer splits from their period, as text writes them ("Lt.Col.")."""
    return tuple(a.title() + "." for a in lexicon.sequence("title_abbreviations_split"))


TITLE_ABBREVIATIONS: tuple[str, ...] = title_abbreviations(_EN)

PRONOUNS_SINGULAR_FEMALE: frozenset[str] = _w("pronouns_singular_female")
PRONOUNS_SINGULAR_MALE: frozenset[str] = _w("pronouns_singular_male")
PRONOUNS_PLURAL: frozenset[str] = _w("pronouns_plural")
PRONOUNS = PRONOUNS_SINGULAR_FEMALE | PRONOUNS_SINGULAR_MALE | PRONOUNS_PLURAL | _w("pronouns_other")

# Phrases that say a source is unnamed (in priority order), and the connectors of a stated reason.
ANONYMITY_TRIGGERS: tuple[str, ...] = _EN.sequence("anonymity_triggers")
NEEDS_REFUSAL: frozenset[str] = _w("needs_refusal")
REFUSALS: frozenset[str] = _w("refusals")
# Triggers after which the text gives the partial name it allows ("gave only her first name, Dana").
NAME_GIVING_TRIGGERS: frozenset[str] = frozenset(
    t for t in ANONYMITY_TRIGGERS if t.startswith(("gave", "identified only as")) or t == "first name only"
)
REASON_CONNECTORS: tuple[str, ...] = _EN.sequence("reason_connectors")
REASON_DROP: frozenset[str] = _w("reason_drop")
CUE_FORMS: frozenset[str] = _w("cue_forms")
