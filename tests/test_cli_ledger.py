"""The ledger's command line: exact output (no markup), refused mistakes, read-only reading, and
one figure followed across documents. Documents are built by hand: no language pipeline needed."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.ledger.store import Ledger
from claimledger.model import Claimant, Document, NumberClaim, Quote, Section, Speaker

# Brackets and console markup that a table or the text view must print exactly as they are.
QUOTE = "We have [the town] under control and [sic] 300 soldiers left"
NAME = "[bold red]Ivan[/] Petrov"
ANON = "an officer [who] asked :smile: not to be named"
CATEGORY = "[sic] killed"
COUNTS = "[the town] soldiers [/]"
TITLE = "Markup [bold]headline[/] [ok]"
WIDE = {"COLUMNS": "400"}  # one line per row: wrapping would split the strings compared


def _doc(
    source: str,
    text: str,
    published: str,
    figures: list[tuple[str, float | None, float | None, str, str, Speaker | None]],
    quotes: list[tuple[str, Speaker]] = (),
    title: str | None = None,
) -> Document:
    """A document whose quotes and figures are found in ``text`` by their wording."""
    speakers: dict[str, Speaker] = {}
    qs = []
    for words, sp in quotes:
        start = text.index(words)
        speakers[sp.id] = sp
        qs.append(Quote(words, start, start + len(words), "direct", "said", sp, "body"))
    ns = []
    for words, low, high, category, counts, sp in figures:
        start = text.index(words)
        claimant = Claimant(sp.type if sp else "article", sp)
        if sp:
            speakers[sp.id] = sp
        end = start + len(words)
        ns.append(
            NumberClaim(words, start, end, low, high, False, None, counts, category, claimant, None, "body")
        )
    return Document(
        id=hashlib.sha256(text.encode()).hexdigest(),
        source=source,
        text=text,
        title=title,
        published=published,
        sections=[Section("body", 0, len(text), text)],
        speakers=list(speakers.values()),
        quotes=qs,
        numbers=ns,
    )


def _petrov() -> Speaker:
    return Speaker("s1", NAME, "person", role="colonel")


def _anonymous() -> Speaker:
    return Speaker("s2", None, "anonymous", description=ANON)


def _markup_doc() -> Document:
    text = (
        f"{TITLE}\n“{QUOTE},” said Col. {NAME} on Monday. “We will hold [it],” said {ANON}.\n"
        "The army said 80,000 troops had crossed and 12 soldiers were killed.\n"
    )
    return _doc(
        "pages/[draft] markup.txt",
        text,
        "2030-05-02",
        figures=[("300", 300, 300, CATEGORY, COUNTS, _petrov()), ("12", 12, 12, "killed", COUNTS, None)],
        quotes=[(QUOTE, _petrov()), ("We will hold [it]", _anonymous())],
        title=TITLE,
    )


@pytest.fixture
def markup_db(tmp_path: Path) -> str:
    db = str(tmp_path / "markup.db")
    with Ledger(db) as ledger:
        assert ledger.ingest(_markup_doc()).outcome == "ingested"
    return db


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


# -- nothing is read as markup ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["quotes"], [QUOTE, NAME, ANON, "We will hold [it]"]),
        (["numbers"], [CATEGORY, COUNTS, NAME, TITLE]),
        (["numbers", "--value", "300"], ["│ first claim", f"│ {NAME} ", "│ pages/[draft] markup.txt "]),
        (["speakers"], [NAME, ANON, "colonel"]),
        (["search", "control"], ["[the town] under [control]", TITLE]),
    ],
)
def test_tables_print_brackets_and_markup_verbatim(markup_db, args, expected):
    res = run(*args, "--db", markup_db, env=WIDE)
    assert res.exit_code == 0, res.output
    for s in expected:
        assert s in res.stdout, f"{s!r} not in\n{res.stdout}"


def test_search_hits_print_exactly_as_the_ledger_gives_them(markup_db):
    with Ledger(markup_db, readonly=True) as ledger:
        snippets = [r["snippet"] for r in ledger.search("soldiers")]
    assert snippets and "[" in snippets[0]
    res = run("search", "soldiers", "--db", markup_db, env=WIDE)
    assert all(s in res.stdout for s in snippets), res.stdout


def test_track_table_prints_markup_verbatim(markup_db, tmp_path):
    folder = tmp_path / "trackers"
    folder.mkdir()
    (folder / "soldiers.toml").write_text(
        'name = "soldiers"\ntitle = "Soldiers [killed]"\ncategories = ["killed"]\ncounts_any = ["soldier"]\n',
        encoding="utf-8",
    )
    chart = str(tmp_path / "c.svg")
    res = run("track", "soldiers", "--trackers", str(folder), "--chart", chart, "--db", markup_db, env=WIDE)
    assert res.exit_code == 0, res.output
    assert COUNTS in res.stdout and "Soldiers [killed]" in res.stdout


def test_text_view_prints_markup_verbatim():
    from rich.console import Console

    from claimledger.render import render_text

    doc = _markup_doc()
    out = io.StringIO()
    render_text(doc, Console(file=out, width=400, highlight=False, soft_wrap=True))
    text = out.getvalue()
    for s in (QUOTE, NAME, ANON, CATEGORY, COUNTS, TITLE, "[ok]", "pages/[draft] markup.txt"):
        assert s in text, f"{s!r} not in\n{text}"


def test_lists_in_tables_read_as_text_not_json(markup_db):
    res = run("speakers", "--db", markup_db, env=WIDE)
    assert "colonel (2030-05-02)" in res.stdout
    assert '["' not in res.stdout and "[[" not in res.stdout


def test_quotes_show_outlet_and_anonymous_speakers_by_their_description(markup_db):
    res = run("quotes", "--db", markup_db, env=WIDE)
    header = res.stdout.splitlines()[2]
    assert "outlet" in header
    row = next(line for line in res.stdout.splitlines() if "We will hold [it]" in line)
    assert ANON in row
    rows = [json.loads(x) for x in run("quotes", "--db", markup_db, "--format", "jsonl").stdout.splitlines()]
    anon = next(r for r in rows if r["quote"] == "We will hold [it]")
    assert anon["speaker_description"] == ANON


def test_tables_wrap_to_the_terminal_width_and_keep_quotes_whole(markup_db):
    res = run("quotes", "--db", markup_db, env={"COLUMNS": "100"})
    assert res.exit_code == 0
    lines = res.stdout.splitlines()
    assert max(len(line) for line in lines) <= 100
    words = " ".join(line for line in lines)
    assert all(w in words for w in QUOTE.split())  # wrapped, never cut
    narrow = run("speakers", "--db", markup_db, env={"COLUMNS": "40"})
    assert max(len(line.rstrip()) for line in narrow.stdout.splitlines()) <= 40
    assert "Petrov" in narrow.stdout  # a row per block rather than words folded letter by letter


# -- mistakes are refused (exit 2, a coded message, nothing written) -------------------------------


@pytest.mark.parametrize("command", [["quotes"], ["numbers"]])
@pytest.mark.parametrize("option", ["--since", "--until"])
def test_dates_must_be_iso_with_a_hint(markup_db, command, option):
    res = run(*command, option, "2030-3-1", "--db", markup_db)
    assert res.exit_code == 2
    assert "CL-E070" in res.stderr and "did you mean 2030-03-01?" in res.stderr
    assert res.stdout == ""


def test_impossible_date_is_refused(markup_db):
    res = run("numbers", "--since", "2030-02-30", "--db", markup_db)
    assert res.exit_code == 2 and "CL-E070" in res.stderr


def test_unknown_category_lists_the_known_ones(markup_db):
    res = run("numbers", "--category", "kiled", "--db", markup_db)
    assert res.exit_code == 2
    assert "CL-E071" in res.stderr and "killed, wounded" in res.stderr
    assert res.stdout == ""


def test_bad_value_is_refused(markup_db):
    res = run("numbers", "--value", "eighty", "--db", markup_db)
    assert res.exit_code == 2 and "CL-E078" in res.stderr


def test_no_rows_is_explained_on_stderr(markup_db, tmp_path):
    res = run("numbers", "--since", "2031-01-01", "--db", markup_db)
    assert res.exit_code == 0
    assert "no numbers match --since 2031-01-01" in res.stderr and "holds 2 numbers" in res.stderr
    quiet = run("numbers", "--since", "2031-01-01", "--db", markup_db, "-q")
    assert quiet.stderr == ""


def test_empty_csv_has_its_header(markup_db):
    res = run("numbers", "--since", "2031-01-01", "--format", "csv", "--db", markup_db)
    header = next(csv.reader(io.StringIO(res.stdout)))
    assert {"expression", "low", "high", "claimant", "published"} <= set(header)
    res = run("quotes", "--speaker", "nobody", "--format", "csv", "--db", markup_db)
    assert "quote" in next(csv.reader(io.StringIO(res.stdout)))


@pytest.mark.parametrize(
    "command",
    [
        ["quotes"],
        ["numbers"],
        ["speakers"],
        ["search", "x"],
        ["export", "--out", "OUT"],
        ["track", "flood-displacement"],
    ],
)
def test_read_commands_never_create_a_ledger(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "typo.db"
    res = run(*command, "--db", str(typo))
    assert res.exit_code == 2, res.output
    assert "CL-E072" in res.stderr and f"no ledger at {typo}" in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("db", ["::::", "file::memory:?cache=shared", ":memory:", "sqlite://", ""])
@pytest.mark.parametrize("command", [["quotes"], ["ingest", "-"], ["upgrade"]])
def test_db_values_that_are_not_paths_are_refused(tmp_path, monkeypatch, db, command):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, [*command, "--db", db], input="")
    assert res.exit_code == 2, res.output
    assert "CL-E075" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_file_name_with_a_colon_can_still_be_given_as_a_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Ledger(str(tmp_path / "a:b.db")) as ledger:
        ledger.ingest(_markup_doc())
    assert run("quotes", "--db", "./a:b.db").exit_code == 0


def test_ledger_open_errors_end_with_the_useful_line(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database" * 100)
    res = run("quotes", "--db", str(junk))
    assert res.exit_code == 1
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("claimledger: CL-E073: cannot open the ledger at") and "not a database" in last
    assert "sqlalche.me" not in res.stderr and "Traceback" not in res.stderr


def test_write_command_open_error_is_one_line(tmp_path):
    res = run("ingest", "-", "--db", "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing")
    assert res.exit_code == 1
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimledger: CL-E073") and "secret" not in lines[0]


# -- read-only ledgers -----------------------------------------------------------------------------


def test_read_commands_do_not_write_the_ledger(markup_db):
    before = Path(markup_db).read_bytes()
    for command in (["quotes"], ["numbers", "--value", "300"], ["speakers"], ["search", "soldiers"]):
        assert run(*command, "--db", markup_db).exit_code == 0
    assert Path(markup_db).read_bytes() == before


def test_readonly_uri_cannot_write(markup_db):
    with Ledger(markup_db, readonly=True) as ledger:
        assert ledger.quotes()
        with pytest.raises(Exception, match="readonly"), ledger.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM quotes")
    assert sqlite3.connect(markup_db).execute("SELECT count(*) FROM quotes").fetchone()[0] == 2


def test_an_older_schema_is_reported_not_migrated(markup_db):
    conn = sqlite3.connect(markup_db)
    conn.execute("UPDATE alembic_version SET version_num = '0004'")
    conn.commit()
    conn.close()
    res = run("quotes", "--db", markup_db)
    assert res.exit_code == 1
    assert "CL-E074" in res.stderr and "claimledger upgrade --db" in res.stderr
    version = sqlite3.connect(markup_db).execute("SELECT version_num FROM alembic_version").fetchone()
    assert version == ("0004",)


def _unprivileged() -> list[str] | None:
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        return None
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def test_a_readonly_ledger_in_a_readonly_folder_can_be_read(markup_db):
    prefix = _unprivileged()
    if prefix is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested (root ignores them)")
    top = Path(tempfile.mkdtemp())  # in the system's temporary folder, reachable by another user
    top.chmod(0o755)
    folder = top / "ro"
    folder.mkdir()
    db = folder / "l.db"
    shutil.copy(markup_db, db)
    db.chmod(0o444)
    folder.chmod(0o555)
    try:
        code = "import sys; from claimledger.cli import main; sys.argv[0] = 'claimledger'; main()"
        res = subprocess.run(
            [*prefix, sys.executable, "-c", code, "quotes", "--db", str(db), "--format", "jsonl"],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=folder,
            env={**os.environ, "HOME": str(folder)},
        )
        assert res.returncode == 0, res.stderr
        assert QUOTE in res.stdout
        assert sorted(p.name for p in folder.iterdir()) == ["l.db"]
    finally:
        folder.chmod(0o755)
        shutil.rmtree(top)


# -- both backends ---------------------------------------------------------------------------------


def test_read_commands_on_each_backend(db_url):
    with Ledger(db_url) as ledger:
        ledger.ingest(_markup_doc())
    quotes = run("quotes", "--db", db_url, "--format", "jsonl")
    assert quotes.exit_code == 0, quotes.output
    assert {json.loads(x)["quote"] for x in quotes.stdout.splitlines()} == {QUOTE, "We will hold [it]"}
    figure = run("numbers", "--value", "300", "--claimant", "petrov", "--db", db_url, "--format", "jsonl")
    rows = [json.loads(x) for x in figure.stdout.splitlines()]
    assert [(r["role"], r["claimant"]) for r in rows] == [("first claim", NAME)]
    speakers = run("speakers", "--db", db_url, "--format", "jsonl")
    petrov = next(json.loads(x) for x in speakers.stdout.splitlines() if NAME in x)
    assert petrov["roles"] == [["colonel", "2030-05-02"]]  # a list, not JSON text


# -- one figure across documents -------------------------------------------------------------------

_STORY = (
    "Floods in the northern valley forced 80,000 people from their homes, the ministry said on Tuesday. "
    "Rescue teams worked through the night to reach villages cut off by the water, and officials opened "
    "schools and sports halls as shelters. The river rose faster than engineers had predicted after a "
    "week of heavy rain, and several bridges were closed to traffic while inspectors checked them. "
    "Farmers said the spring planting season was lost in the lowest fields of the valley.\n"
)


def _ministry() -> Speaker:
    return Speaker("s1", "Ministry of Water", "organization")


def _figure_docs() -> list[Document]:
    fig = [("80,000", 80000, 80000, "refugees", "people from their homes", _ministry())]
    original = _doc("wire/original.txt", "Valley floods\n" + _STORY, "2030-03-17", fig)
    copy = _doc("site/copy.txt", "Valley floods | Site\n" + _STORY + "Share this story.\n", "2030-03-19", fig)
    blog = _doc(
        "blog/post.txt",
        "My take\nA blogger wrote that 80,000 people had fled, which nobody has checked.\n",
        "2030-03-18",
        [("80,000", 80000, 80000, "refugees", "people had fled", None)],
    )
    ranged = _doc(
        "wire/range.txt",
        "Estimates\nAid groups said between 70,000 and 90,000 people were displaced.\n",
        "2030-03-20",
        [("between 70,000 and 90,000", 70000, 90000, "refugees", "people were displaced", None)],
    )
    bounded = _doc(
        "wire/bounded.txt",
        "Update\nAt least 80,000 people left, and at least 45 died, officials said.\n",
        "2030-03-21",
        [
            ("At least 80,000", 80000, None, "refugees", "people left", None),
            ("at least 45", 45, None, "killed", "died", None),
        ],
    )
    moved = [("80,000", 80000, 80000, "refugees", "people were moved", None)]
    undated = _doc("old/undated.txt", "Archive\nSome 80,000 people were moved.\n", None, moved)
    # Ingestion order is not date order: the copy comes first.
    return [copy, undated, original, bounded, blog, ranged]


@pytest.fixture
def figure_db(tmp_path: Path) -> str:
    db = str(tmp_path / "figure.db")
    with Ledger(db) as ledger:
        for doc in _figure_docs():
            ledger.ingest(doc)
    return db


def test_value_follows_one_figure_first_claim_repeats_and_syndicated_copies(figure_db):
    res = run("numbers", "--value", "80,000", "--db", figure_db, "--format", "jsonl")
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    got = [(r["source"], r["role"]) for r in rows]
    assert got == [
        ("wire/original.txt", "first claim"),
        ("blog/post.txt", "repeated"),
        ("site/copy.txt", "syndicated copy"),
        ("wire/range.txt", "within range"),  # 70,000–90,000 contains 80,000 but does not state it
        ("wire/bounded.txt", "repeated"),  # "at least 80,000": its bound equals the value
        ("old/undated.txt", "repeated"),  # undated last
    ]
    original = rows[0]["doc_id"]
    assert rows[2]["copy_of"] == original
    assert all(r["copy_of"] is None for r in rows if r["role"] != "syndicated copy")


def test_value_in_text_marks_the_earliest_and_sums_up(figure_db):
    res = run("numbers", "--value", "80000", "--db", figure_db, env=WIDE)
    assert res.exit_code == 0, res.output
    title = res.stdout.splitlines()[0]
    assert "80,000: first claimed by Ministry of Water (wire/original.txt, 2030-03-17)" in title
    assert "3 repeated, 1 syndicated copy, 1 within range" in title
    first = next(line for line in res.stdout.splitlines() if "first claim" in line)
    assert "wire/original.txt" in first


def test_value_with_filters(figure_db):
    def sources(*args: str) -> list[str]:
        res = run("numbers", "--value", "80000", *args, "--db", figure_db, "--format", "jsonl")
        assert res.exit_code == 0, res.output
        return [json.loads(x)["source"] for x in res.stdout.splitlines()]

    assert sources("--claimant", "ministry") == ["wire/original.txt", "site/copy.txt"]
    assert sources("--speaker", "Ministry of Water") == ["wire/original.txt", "site/copy.txt"]
    assert sources("--outlet", "wire/") == ["wire/original.txt", "wire/range.txt", "wire/bounded.txt"]
    assert sources("--since", "2030-03-19", "--until", "2030-03-20") == ["site/copy.txt", "wire/range.txt"]
    assert sources("--claimant", "article") == [
        "blog/post.txt", "wire/range.txt", "wire/bounded.txt", "old/undated.txt"
    ]
    assert "at least 45" not in run("numbers", "--value", "80000", "--db", figure_db).stdout


def test_value_matches_nothing_explained(figure_db):
    res = run("numbers", "--value", "123456", "--db", figure_db)
    assert res.exit_code == 0
    assert "no numbers match --value 123456" in res.stderr


# -- exports ---------------------------------------------------------------------------------------


def test_export_of_an_empty_ledger_has_headers_and_typed_parquet(markup_db, tmp_path):
    import pyarrow.parquet as pq

    empty_db = str(tmp_path / "empty.db")
    Ledger(empty_db).close()
    for fmt in ("csv", "parquet"):
        for name, db in (("empty", empty_db), ("full", markup_db)):
            res = run("export", "--format", fmt, "--out", str(tmp_path / f"{name}-{fmt}"), "--db", db)
            assert res.exit_code == 0, res.output
    header = (tmp_path / "empty-csv" / "numbers_view.csv").read_text(encoding="utf-8").splitlines()
    assert header[0].startswith("doc_id,idx,expression,low,high")
    for path in sorted((tmp_path / "empty-parquet").glob("*.parquet")):
        empty = pq.read_schema(path)
        assert len(empty) > 0, path.name
        assert empty == pq.read_schema(tmp_path / "full-parquet" / path.name), path.name
    numbers = pq.read_schema(tmp_path / "empty-parquet" / "numbers_view.parquet")
    assert str(numbers.field("low").type) == "double"
    assert str(numbers.field("approximate").type) == "bool"
    assert str(numbers.field("claimant").type) == "string"
    speakers = pq.read_schema(tmp_path / "empty-parquet" / "speakers_view.parquet")
    assert str(speakers.field("quotes").type) == "int64"
    full = pq.read_table(tmp_path / "full-parquet" / "quotes_view.parquet").to_pylist()
    assert QUOTE in {r["quote"] for r in full}


def test_upgrade_brings_an_older_ledger_up_to_date(tmp_path):
    from alembic import command

    db = str(tmp_path / "old.db")
    old = Ledger(db, migrate=False)
    with old._write() as conn:
        command.upgrade(old._alembic(conn), "0004")
    old.close()
    refused = run("numbers", "--db", db)
    assert refused.exit_code == 1 and "CL-E074" in refused.stderr and "0004" in refused.stderr
    upgraded = run("upgrade", "--db", db)
    assert upgraded.exit_code == 0, upgraded.output
    from alembic.script import ScriptDirectory

    with Ledger(db, readonly=True) as ledger:
        head = ScriptDirectory.from_config(ledger._alembic(None)).get_current_head()
        assert ledger.schema_revision() == head != "0004"
    assert run("numbers", "--db", db).exit_code == 0


def test_upgrade_never_creates_a_ledger(tmp_path):
    res = run("upgrade", "--db", str(tmp_path / "typo.db"))
    assert res.exit_code == 2 and "CL-E072" in res.stderr
    assert list(tmp_path.iterdir()) == []
