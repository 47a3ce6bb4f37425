"""Word lists behind attribution: reporting cues and the nouns that type a speaker.

Kept in one place so that a rule can be read, questioned and extended without hunting
through code. Everything is lowercase; verbs are lemmas unless a name says forms.
"""

from __future__ import annotations

# Verbs that report speech or writing when they take a clause ("X said that …").
# Speech acts without reported content ("confirmed the incident") are filtered by
# requiring a clausal complement or a following quotation.
SPEECH_VERBS: frozenset[str] = frozenset(
    """
    say tell add report warn claim estimate write state explain note insist announce argue admit
    acknowledge confirm deny suggest predict recall complain allege assert declare stress
    emphasize emphasise reveal disclose observe remark mention reply respond answer testify
    tweet post exclaim continue conclude caution concede contend maintain indicate promise vow
    threaten pledge urge comment agree counter recount describe told reiterate assure boast
    lament acknowledge charge calculate clarify inform exhort lambast lambaste retort snap quip
    affirm reaffirm specify underline underscore speculate concur brief advise
    """.split()
)

# Verbs that report a finding only when a document is their subject ("the survey found that …",
# "radio logs show …"); with a person subject they usually report no speech ("he found the keys").
FINDING_VERBS: frozenset[str] = frozenset({"find", "show"})
# Documents that "find"/"show". "investigation" is left out on purpose: "our investigation found"
# is the outlet's own reporting voice, not a source it quotes.
FINDING_SOURCES: frozenset[str] = frozenset(
    """
    survey study report poll audit review census analysis data datum figure statistic record log
    document test assessment research paper inquiry
    """.split()
)

# Verbs that attach a label in quotation marks ("called the plan “a farce”"): a characterisation,
# not reported speech, so the quotation is not a quote.
CHARACTERISE_VERBS: frozenset[str] = frozenset(
    {"call", "dub", "label", "term", "brand", "describe", "characterise", "characterize", "nickname"}
)

# Verbs whose counted object is itself the claim ("the ministry reported 40 attacks"); other
# speech acts with a bare object report nothing ("confirmed the incident").
COUNT_REPORT_VERBS: frozenset[str] = frozenset({"report", "announce", "estimate", "confirm", "predict"})
# Verbs that report nothing but a count ("the study estimates 24,000 deaths", "the monitor
# documented 40 cases", "volunteers counted 300 birds"): a claim when a source is the subject.
COUNT_ONLY_VERBS: frozenset[str] = frozenset(
    "cite record count tally document log register project forecast".split()
)

# Claim frames whose object is a noun phrase with a figure (the usual way tolls and crowd sizes are
# attributed): "put the toll at 40" (AT), "claimed a turnout of 80,000" (OF, on a FIGURE_NOUN),
# "later changed that number to 32" (TO, on a FIGURE_NOUN). The subject claims the figure.
FIGURE_AT_VERBS: frozenset[str] = frozenset({"put", "set", "place", "peg", "estimate", "fix"})
FIGURE_OF_VERBS: frozenset[str] = frozenset(
    """
    claim cite venture release publish give report announce issue provide offer quote record post
    estimate calculate suggest project forecast predict put compile confirm
    """.split()
)
FIGURE_TO_VERBS: frozenset[str] = frozenset(
    "raise revise lower change update increase reduce adjust correct upgrade downgrade".split()
)
FIGURE_NOUNS: frozenset[str] = frozenset(
    """
    toll count tally estimate figure number total turnout list death casualty attendance crowd
    headcount projection forecast
    """.split()
)
# Number words that carry a figure without a digit ("put the toll at dozens").
VAGUE_FIGURES: frozenset[str] = frozenset(
    "dozen dozens hundreds thousands millions tens scores half".split()
)

# Verbs after which a "to"-infinitive cue reports nothing said ("declined to say", "plans to
# announce"): the speech is refused, wished for or still to come.
NOT_REPORTING_HEADS: frozenset[str] = frozenset(
    """
    refuse decline fail neglect hesitate want wish hope plan intend expect prepare need ask agree
    seek try attempt have use schedule set due able unable dare mean aim
    """.split()
)
# Passive verbs of recording before a speech participle ("was filmed saying", "was heard telling").
RECORDING_VERBS: frozenset[str] = frozenset(
    "film hear see record tape videotape overhear catch quote photograph show".split()
)

# Verbs of a held view: a source's claim when an institution holds it ("the ministry believes
# that …", its stated position) or when a speaker relays it ("saying its monitors believed …").
STANCE_VERBS: frozenset[str] = frozenset({"believe"})
# "accused the authorities of inflating the figure": the object and its of-clause are the claim.
ACCUSE_VERBS: frozenset[str] = frozenset({"accuse"})

# Verbs that report content only with a "to"-infinitive ("promised to", "vowed to").
INFINITIVE_CUES: frozenset[str] = frozenset({"promise", "vow", "threaten", "pledge"})

# Nouns that report content through a "that"-clause ("amid reports that …"); the speaker is
# the noun itself, typed as a document.
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    """
    report estimate statement assessment study survey analysis document data datum figure tally count
    communique communiqué release bulletin update briefing memo letter paper review audit poll
    investigation finding claim allegation rumor rumour account record filing census projection
    scenario forecast article editorial post tweet video footage log register registry database
    statistic
    """.split()
)

# Nouns whose referent is an institution, not a person.
ORGANIZATION_NOUNS: frozenset[str] = frozenset(
    """
    agency ministry government army military police office committee council commission group
    organization organisation department authority authorities administration kremlin pentagon
    navy force forces command headquarters service services embassy court parliament senate
    congress party union company firm newspaper channel broadcaster outlet network station
    charity ngo coalition alliance federation institute university hospital bureau team club
    regime cabinet presidency media medium press observatory monitor project centre center
    foundation association watch bank fund programme program initiative society league front
    movement trust board assembly directorate inspectorate secretariat mission delegation
    prosecutor's prosecutors prosecution staff cooperative co-op consortium consultancy regulator
    watchdog airline insurer wing arm branch affiliate faction offshoot subsidiary
    """.split()
)

# Institution nouns whose plural names people ("the monitor says" is a body; "the party's monitors"
# are its observers at the polls).
PEOPLE_WHEN_PLURAL: frozenset[str] = frozenset({"monitor"})

# Nouns for people: a description built on one of these is a person or an anonymous source.
PERSON_NOUNS: frozenset[str] = frozenset(
    """
    official officials spokesman spokeswoman spokesperson representative source sources person
    people man men woman women boy girl resident residents witness witnesses soldier soldiers
    officer officers commander analyst analysts expert experts lawyer attorney doctor doctors
    nurse medic worker workers activist activists diplomat diplomats relative relatives mother
    father wife husband son daughter brother sister friend neighbour neighbor villager villagers
    farmer refugee refugees survivor survivors prisoner prisoners volunteer volunteers fighter
    fighters leader leaders minister ministers governor mayor president prime chief director
    head adviser advisor aide aides member members student students teacher teachers journalist
    journalists reporter reporter blogger bloggers correspondent correspondents researcher
    researchers investigator investigators insider insiders employee employees staffer staffers
    veteran veterans mobilized conscript conscripts recruit recruits parent parents family
    families someone colleague colleagues priest pastor imam owner driver pilot sailor guard
    guards cousin cousins uncle aunt nephew niece grandson granddaughter grandmother grandfather
    partner boyfriend girlfriend economist economists historian historians scientist scientists
    engineer engineers forecaster forecasters critic critics retailer retailers trader traders
    shopkeeper shopkeepers builder builders academic academics observer observers protester
    protesters demonstrator demonstrators passenger passengers patient patients customer customers
    voter voters lawmaker lawmakers legislator legislators councillor councilor campaigner
    campaigners organiser organizer executive executives manager managers contractor contractors
    reader readers viewer viewers listener listeners caller callers
    """.split()
)

# Professions a story names its subject by once it has introduced them another way ("Korelin, a former
# prosecutor, …" then "the lawyer said"): a definite one with no earlier holder is a named person.
PROFESSION_NOUNS: frozenset[str] = frozenset(
    """
    lawyer attorney doctor nurse medic surgeon analyst economist historian scientist engineer
    researcher investigator priest pastor imam rabbi journalist reporter correspondent teacher
    activist diplomat professor spokesman spokeswoman spokesperson
    """.split()
)

# Family ties: "both brothers" are two people who usually share a surname.
KIN_NOUNS: frozenset[str] = frozenset(
    "brother sister son daughter father mother parent cousin twin sibling husband wife".split()
)

# Offices held by one person at a time: "the regional governor" names a person, not an
# anonymous source (labelling rule: an unnamed holder of a unique office is a person).
OFFICE_NOUNS: frozenset[str] = frozenset(
    """
    governor mayor president minister premier chancellor ambassador commissioner prosecutor
    secretary chairman chairwoman chair ombudsman king queen pope patriarch emir sheikh envoy chief
    """.split()
)

FEMALE_NOUNS: frozenset[str] = frozenset(
    """
    woman women spokeswoman mother wife daughter sister girl girlfriend grandmother widow
    businesswoman chairwoman congresswoman actress
    """.split()
)
MALE_NOUNS: frozenset[str] = frozenset(
    """
    man men spokesman father husband son brother boy boyfriend grandfather widower businessman
    chairman congressman actor
    """.split()
)

# Titles dropped from a speaker's name ("President Vladimir Putin" -> "Vladimir Putin").
TITLES: frozenset[str] = frozenset(
    """
    mr mr. mrs mrs. ms ms. dr dr. prof prof. sir dame president vice prime minister gen gen.
    general col col. colonel lt lt. lieutenant sgt sgt. sergeant maj maj. major capt capt.
    captain adm adm. admiral rep rep. sen sen. senator gov gov. governor mayor judge justice rev
    rev. cmdr cmdr. cpl cpl. brig brig. supt supt. insp insp. det det. pvt pvt. fr fr. father
    sheikh king queen prince princess pope bishop chancellor secretary ambassador commander
    spokesman spokeswoman spokesperson deputy chief director lawyer attorney professor premier
    """.split()
)

# Abbreviated titles the stock tokenizer splits from their period; kept as one token (see attribution).
TITLE_ABBREVIATIONS: tuple[str, ...] = (
    "Lt.",
    "Col.",
    "Cmdr.",
    "Capt.",
    "Maj.",
    "Sgt.",
    "Cpl.",
    "Adm.",
    "Brig.",
    "Supt.",
    "Insp.",
    "Det.",
    "Pvt.",
    "Lt.Col.",
    "Amb.",
    "Msgr.",
    "Fr.",
)

PRONOUNS_SINGULAR_FEMALE = frozenset({"she", "her"})
PRONOUNS_SINGULAR_MALE = frozenset({"he", "him"})
PRONOUNS_PLURAL = frozenset({"they", "them"})
PRONOUNS = PRONOUNS_SINGULAR_FEMALE | PRONOUNS_SINGULAR_MALE | PRONOUNS_PLURAL | {"i", "we", "it", "you"}

# Phrases that say a source is unnamed, and the connectors that introduce the stated reason.
ANONYMITY_TRIGGERS: tuple[str, ...] = (
    "on condition of anonymity",
    "on the condition of anonymity",
    "on condition that",
    "requested anonymity",
    "asked for anonymity",
    "declined to be named",
    "declined to be identified",
    "asked not to be named",
    "asked not to be identified",
    "did not want to be named",
    "did not want to be identified",
    "who did not give",
    "not to be named",
    "not be named",
    "not be identified",
    "withheld",
    "anonymously",
    "speaking anonymously",
    "who was not named",
    "who were not named",
    "unnamed",
    "gave only her first name",
    "gave only his first name",
    "gave only their first names",
    "gave her name only as",
    "gave his name only as",
    "gave only her name as",
    "gave only his name as",
    "identified only as",
    "identified only by",
    "first name only",
    "declined to give her name",
    "declined to give his name",
    "declined to give their names",
    "declined to give her full name",
    "declined to give his full name",
    "did not give her name",
    "did not give his name",
    "would not give her name",
    "would not give his name",
    "use their names",  # only after a refusal: see NEEDS_REFUSAL
    "use his name",
    "use her name",
    "names not be used",
    "name not be used",
    "names not be published",
    "name not be published",
)
# Triggers that say anonymity only after a refusal ("none of whom would let me use their names",
# "declined to let us use her name"); "agreed to let us use their names" names the source.
NEEDS_REFUSAL: frozenset[str] = frozenset({"use their names", "use his name", "use her name"})
REFUSALS: frozenset[str] = frozenset(
    {"not", "none", "neither", "no", "nobody", "never", "refused", "declined"}
)

# Triggers after which the text gives the partial name it allows ("gave only her first name, Dana").
NAME_GIVING_TRIGGERS: frozenset[str] = frozenset(
    t for t in ANONYMITY_TRIGGERS if t.startswith(("gave", "identified only as")) or t == "first name only"
)
REASON_CONNECTORS: tuple[str, ...] = (
    "because",
    "for fear of",
    "for fear",
    "citing",
    "for",
    "due to",
    "since",
    "as",
    "to",
    "out of",
)
# Connectors dropped from the verbatim reason (labels keep "to …" and "as a matter of …").
REASON_DROP: frozenset[str] = frozenset({"because", "for", "since", "citing", "due to"})

# Cheap cue test before parsing: forms of the cue verbs and nouns as they appear in text.
CUE_FORMS: frozenset[str] = frozenset(
    """
    say says said saying tell tells told telling add adds added report reports reported warn
    warns warned claim claims claimed estimate estimates estimated write writes wrote written
    state states stated explain explains explained note notes noted insist insists insisted
    announce announced announces argue argued argues admit admitted admits acknowledged
    acknowledges confirm confirmed confirms deny denied denies suggest suggested suggests
    predict predicted predicts recall recalled recalls complain complained complains allege
    alleged alleges assert asserted asserts declare declared declares stress stressed stresses
    emphasized emphasised emphasizes reveal revealed reveals disclosed observed remarked
    mentioned replied responded answered testified tweeted posted exclaims exclaimed continued
    continues concluded concludes cautioned conceded contended maintained maintains indicated
    promised promises vowed vows threatened pledged urged commented agreed countered recounted
    described reiterated assured boasted lamented charged according statement statements
    estimate figures study survey find finds found show shows showed calculated
    put puts putting set sets placed places pegged pegs ventured ventures cited cites released
    published gave gives issued quoted recorded projected forecast raised revised lowered changed
    updated increased reduced adjusted corrected
    clarify clarified clarifies clarifying inform informed informs exhort exhorts exhorted lambasted
    lambastes retorted retorts snapped quipped affirmed affirms reaffirmed specified underlined
    underscored speculated concurred briefed advised advises scrambled counted tallied documented
    logged registered projects forecasts cite records counts tallies documents concedes agrees
    insisting warning claiming admitting believes believed accused accuses accusing
    """.split()
)
