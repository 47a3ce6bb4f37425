"""The web UI in real headless Chromium (Debian's package), against uvicorn on a free 127.0.0.1 port.

Screenshots go to ``tests/artifacts/``. ``CLAIMLEDGER_UPDATE_SCREENSHOTS=1`` also refreshes the
committed ``docs/screenshots/document.png``. Without Chromium the tests skip, except in CI (``CI``
set), where they fail: `scripts/with-chromium.sh` finds or installs it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from claimledger.settings import Settings
from conftest import ROOT, unavailable
from test_web import XSS_URL, build_ledger, by_source, example_documents

pytestmark = pytest.mark.browser

# scripts/with-chromium.sh exports the browser it found, or why there is none.
CHROMIUM = Path(os.environ.get("CLAIMLEDGER_TEST_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
# axe-core (the npm package's axe.min.js) for the accessibility check: CLAIMLEDGER_TEST_AXE, else
# node_modules/axe-core of the project (`npm ci`: package-lock.json pins it).
AXE = Path(os.environ.get("CLAIMLEDGER_TEST_AXE") or ROOT / "node_modules" / "axe-core" / "axe.min.js")
DOC_SCREENSHOT = ROOT / "docs" / "screenshots" / "document.png"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def docs(nlp):
    return example_documents()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, docs) -> Iterator[str]:
    """uvicorn serving the app over the example ledger, in a thread of this process."""
    import uvicorn

    from claimledger.web.app import create_app

    db = build_ledger(tmp_path_factory.mktemp("browser") / "ledger.db", docs)
    port = _free_port()
    app = create_app(db, replace(Settings(), web_token=""))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        unavailable(
            os.environ.get("CLAIMLEDGER_TEST_CHROMIUM_UNAVAILABLE")
            or f"no {CHROMIUM} (`make test` finds or installs Chromium: scripts/with-chromium.sh)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A fresh page that records dialogs, console errors and CSP violations."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.dialogs = []
    pg.problems = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))
    yield pg
    context.close()


def _shot(pg, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / name))


def test_quotes_are_highlighted_in_their_speakers_colours(page, base_url, docs):
    doc = by_source(docs, "01-")
    page.goto(f"{base_url}/documents/{doc.id}")
    canonical = page.evaluate(
        f"fetch('/api/v1/documents/{doc.id}').then(r => r.json()).then(d => d.ledger.speakers)"
    )
    marks = page.locator("mark.quote[id^=q]")
    assert marks.count() == len(doc.quotes)
    colour_of: dict[str, str] = {}
    for i, q in enumerate(doc.quotes):
        mark = page.locator(f"#q{i}")
        want = canonical[q.speaker.id] if q.speaker else ""
        assert mark.get_attribute("data-speaker-id") == want, q.text
        assert q.text.startswith(mark.inner_text()[:20])
        if want:
            colour = mark.evaluate("m => getComputedStyle(m).borderBottomColor")
            assert colour_of.setdefault(want, colour) == colour  # one colour per speaker
    assert len(set(colour_of.values())) >= min(len(colour_of), 5)  # and speakers apart
    assert not page.problems, page.problems


def test_number_tooltip_on_hover(page, base_url, docs):
    doc = by_source(docs, "01-")
    i = next(i for i, n in enumerate(doc.numbers) if n.text == "more than 80,000")
    page.goto(f"{base_url}/documents/{doc.id}")
    mark = page.locator(f"#n{i}")
    mark.hover()
    tip = mark.evaluate("m => getComputedStyle(m, '::after').content")
    assert "range: 80,000 or more" in tip and "claimant: Interior Ministry" in tip, tip
    assert "counts: " in tip
    _shot(page, "document-tooltip.png")
    if os.environ.get("CLAIMLEDGER_UPDATE_SCREENSHOTS"):
        DOC_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOC_SCREENSHOT))


def test_follow_a_speaker_link(page, base_url, docs):
    doc = by_source(docs, "01-")
    page.goto(f"{base_url}/documents/{doc.id}")
    link = page.locator("a.who[data-speaker-id='p:drobnin:alexei']").first
    with page.expect_navigation():
        link.click()
    assert "/speakers/" in page.url
    assert page.locator("h1.speaker-name").inner_text() == "Alexei Drobnin"
    assert page.locator("h1.speaker-name").get_attribute("data-speaker-id") == "p:drobnin:alexei"
    assert page.locator(".timeline-quotes li").count() >= 3
    assert "Alexey Drobnin" in page.locator("dl.facts").inner_text()
    _shot(page, "speaker.png")


def test_speaker_filter_script_dims_other_quotes(page, base_url, docs):
    doc = by_source(docs, "01-")
    page.goto(f"{base_url}/documents/{doc.id}")
    button = page.locator("ul.speakers button.only[data-speaker-id='p:drobnin:alexei']")
    assert button.is_visible()  # shown by the script
    button.click()
    dimmed = page.locator(".doctext mark.quote.dim")
    assert dimmed.count() > 0
    assert page.locator(".doctext mark.quote.dim[data-speaker-id='p:drobnin:alexei']").count() == 0
    button.click()
    assert dimmed.count() == 0


def test_tracker_chart_links_to_the_sentence(page, base_url):
    page.goto(f"{base_url}/trackers/flood-displacement")
    svg = page.locator("svg.timeline")
    assert svg.is_visible()
    marks = page.locator("svg.timeline a.pt")
    assert marks.count() >= 3
    _shot(page, "tracker.png")
    href = marks.first.get_attribute("href")
    with page.expect_navigation():
        marks.first.locator("circle").click()
    anchor = href.split("#", 1)[1]
    assert page.url.endswith(href)
    target = page.locator(f"#{anchor}")
    assert target.evaluate("el => el.matches(':target') && el.classList.contains('number')")
    assert not page.problems, page.problems


def test_search_page_and_filters(page, base_url):
    page.goto(f"{base_url}/")
    page.fill("input[name=q]", "embankments")
    with page.expect_navigation():
        page.click("form.filters button")
    assert page.locator("ol.results li").count() == 2
    assert page.locator("mark.hit").count() >= 2
    _shot(page, "search.png")


def test_script_payloads_do_not_run(page, base_url, docs):
    x1, x2 = by_source(docs, "xss-1"), by_source(docs, "xss-2")
    committee = next(s for s in x1.speakers if s.name and "</script>" in s.name)
    page.goto(f"{base_url}/documents/{x1.id}")
    canonical = page.evaluate(
        f"fetch('/api/v1/documents/{x1.id}').then(r => r.json()).then(d => d.ledger.speakers)"
    )
    paths = [
        f"/documents/{x1.id}",
        f"/documents/{x2.id}",
        "/?q=mayor",
        "/speakers",
        f"/speakers/{canonical[committee.id]}",
        "/numbers",
    ]
    for path in paths:
        page.goto(f"{base_url}{path}")
        page.wait_for_load_state("load")
        counts = page.evaluate(
            """() => ({
                img: document.querySelectorAll('img[src=x], img').length,
                scripts: [...document.scripts].map(s => s.src),
                js_links: document.querySelectorAll('a[href^="javascript:" i]').length,
            })"""
        )
        assert counts["img"] == 0, path
        assert counts["scripts"] == [f"{base_url}/static/app.js"], path
        assert counts["js_links"] == 0, path
    page.goto(f"{base_url}/documents/{x1.id}")
    assert page.locator("h1").inner_text() == x1.title  # the payload shows as text
    assert page.locator("dd.url").inner_text() == XSS_URL
    assert any("<img src=x onerror=alert(7)>" in t for t in page.locator("mark.quote").all_inner_texts())
    page.goto(f"{base_url}/speakers/{canonical[committee.id]}")
    assert page.locator("h1.speaker-name").inner_text() == committee.name
    _shot(page, "xss-speaker.png")
    page.goto(f"{base_url}/documents/{x2.id}")
    assert any("<script>alert(2)</script>" in t for t in page.locator("mark.quote").all_inner_texts())
    _shot(page, "xss-document.png")
    assert page.dialogs == []


def test_paste_box_extracts_in_the_browser(page, base_url):
    """The form POST carries the browser's own Origin and the CSRF cookie, and is answered."""
    page.goto(f"{base_url}/extract")
    text = '"The bridge will reopen in May," said Mara Lindqvist, the city engineer.'
    page.fill("textarea[name=text]", text)
    page.fill("input[name=source]", "pasted-note")
    with page.expect_response(lambda r: r.url.endswith("/extract") and r.request.method == "POST") as info:
        page.click("form.extract button[type=submit]")
    response = info.value
    assert response.status == 200, response.text()
    origin = response.request.header_value("origin")
    assert origin == base_url  # not "null"
    page.wait_for_load_state("load")
    quote = page.locator("section.result mark.quote")
    assert quote.count() == 1 and "bridge will reopen" in quote.inner_text()
    assert "Mara Lindqvist" in page.locator("section.result").inner_text()
    # The forgery check still holds: the same POST without the form's token is refused.
    status = page.evaluate(
        """() => fetch('/extract', {method: 'POST', body: new URLSearchParams({text: 'x'})})
            .then(r => r.status)"""
    )
    assert status == 403
    assert not [p for p in page.problems if "403" not in p], page.problems


def _every_page(page, base_url: str, docs) -> list[str]:
    """A path of each kind of page: listings, every document, a speaker, a tracker, an error."""
    page.goto(f"{base_url}/speakers")
    speaker = page.locator("table.rows tbody a").first.get_attribute("href")
    return [
        "/",
        "/?q=embankments",
        "/speakers",
        speaker,
        "/quotes",
        "/quotes?facets=1",
        "/numbers",
        "/numbers?facets=1",
        "/trackers",
        "/trackers/flood-displacement",
        "/trackers/flood-displacement?claimant=person",
        "/quotes?sort=speaker",
        "/numbers?sort=-value",
        "/speakers?sort=-quotes",
        "/trackers/flood-displacement?sort=-value",
        "/extract",
        "/docs",
        "/nowhere",
        *(f"/documents/{d.id}" for d in docs),
        *(f"/documents/{d.id}/quotes/0" for d in docs if d.quotes),
        *(f"/documents/{d.id}/numbers/0" for d in docs if d.numbers),
    ]


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(browser, base_url, docs, width):
    """At a phone's and a laptop's width the page itself never scrolls sideways: the navigation
    wraps, wide tables scroll inside their own box, and every link of the top bar is on screen."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    try:
        wide = []
        for path in _every_page(pg, base_url, docs):
            pg.goto(f"{base_url}{path}")
            got = pg.evaluate(
                """() => ({
                    scroll: document.documentElement.scrollWidth,
                    client: document.documentElement.clientWidth,
                    nav: [...document.querySelectorAll('header.top a')]
                        .map(a => a.getBoundingClientRect().right),
                })"""
            )
            if got["scroll"] > got["client"] or max(got["nav"]) > got["client"]:
                wide.append((path, got["scroll"], max(got["nav"])))
        assert not wide, wide
    finally:
        context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_tooltips_stay_on_screen(browser, base_url, docs, width):
    """Every number's and anonymous source's tooltip, opened by keyboard focus, lies inside the
    viewport, however near the right edge its mark is."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    pg = context.new_page()
    try:
        doc = by_source(docs, "01-")
        pg.goto(f"{base_url}/documents/{doc.id}")
        marks = pg.locator(".doctext mark[data-tip][id]")
        assert marks.count() >= 5
        outside = []
        for i in range(marks.count()):
            mark = marks.nth(i)
            mark.focus()
            box = mark.evaluate(
                """m => {
                    const tip = getComputedStyle(m, '::after');
                    const first = m.getClientRects()[0];
                    const left = first.left + parseFloat(tip.left);
                    return {left, right: left + parseFloat(tip.width), shown: tip.content !== 'none',
                            view: document.documentElement.clientWidth};
                }"""
            )
            assert box["shown"], mark.get_attribute("id")
            if box["left"] < 0 or box["right"] > box["view"]:
                outside.append((mark.get_attribute("id"), box))
        assert not outside, outside
    finally:
        context.close()


def test_api_docs_page_works_under_the_csp(page, base_url):
    """/docs shows every operation with no blocked resource, and its "Try it" form answers JSON."""
    page.goto(f"{base_url}/docs")
    assert page.locator("section.operation").count() >= 10
    assert page.locator("footer a[href='/docs']").is_visible()
    assert not page.problems, page.problems  # no CSP violation, nothing missing
    form = page.locator("form.try[action='/api/v1/numbers']")
    form.locator("input[name=limit]").fill("2")
    with page.expect_navigation():
        form.locator("button").click()
    assert page.url.startswith(f"{base_url}/api/v1/numbers?limit=2")  # the empty fields left out
    body = page.evaluate("JSON.parse(document.body.innerText)")
    assert len(body["items"]) == 2


def test_claim_page_copies_its_citation_and_link(browser, base_url, docs):
    """From a document, open a quote's claim page; "Copy citation" and "Copy link" fill the
    clipboard with the citation shown and the page's own address; the earliest copy is marked."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    pg = context.new_page()
    try:
        doc = by_source(docs, "05-")
        pg.goto(f"{base_url}/documents/{doc.id}")
        with pg.expect_navigation():
            pg.locator("ol.quotes a.permalink").first.click()
        assert pg.url == f"{base_url}/documents/{doc.id}/quotes/0"
        assert pg.locator("mark.claim-words").inner_text() == doc.quotes[0].text
        pg.get_by_role("button", name="Copy citation").click()
        expect(pg.locator(".copied")).to_have_text("Citation copied.")
        copied = pg.evaluate("navigator.clipboard.readText()")
        assert copied == pg.locator("#citation").inner_text().strip()
        assert doc.quotes[0].text in copied and "Northline Press" not in copied  # this copy has no outlet
        pg.get_by_role("button", name="Copy link").click()
        expect(pg.locator(".copied")).to_have_text("Link copied.")
        assert pg.evaluate("navigator.clipboard.readText()") == pg.url
        earliest = pg.locator("ol.copies li", has=pg.locator(".badge"))
        assert earliest.count() == 1 and "Northline Press" in earliest.inner_text()
        _shot(pg, "claim.png")
    finally:
        context.close()


def test_every_page_passes_the_accessibility_check(browser, base_url, docs):
    """axe-core (WCAG 2.2 A and AA rules) finds no serious or critical violation on any page, at
    a laptop's and a phone's width, with a number's tooltip open."""
    if not AXE.exists():  # scripts/with-chromium.sh installs it (`npm ci`, package-lock.json)
        why = os.environ.get("CLAIMLEDGER_TEST_AXE_UNAVAILABLE") or f"no axe-core at {AXE} (run `npm ci`)"
        unavailable(why)
    found = []
    for width in (1280, 390):
        # axe is injected as a script: allowed past the CSP in this context only.
        context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        pg = context.new_page()
        try:
            for path in _every_page(pg, base_url, docs):
                pg.goto(f"{base_url}{path}")
                if pg.locator(".doctext mark.number").count():
                    pg.locator(".doctext mark.number").first.focus()
                if pg.locator(".chart-frame").count():  # the chart's card, open
                    pg.locator(".chart-frame").focus()
                pg.add_script_tag(path=str(AXE))
                result = pg.evaluate(
                    """() => axe.run(document, {runOnly: {type: 'tag',
                        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
                )
                for v in result["violations"]:
                    if v["impact"] in ("serious", "critical"):
                        found.append((width, path, v["id"], [n["target"] for n in v["nodes"][:3]]))
                        ARTIFACTS.mkdir(parents=True, exist_ok=True)
                        with (ARTIFACTS / "axe-violations.txt").open("a") as out:
                            for n in v["nodes"]:
                                out.write(f"{width} {path} {v['id']} {n['target']} {n['failureSummary']}\n")
        finally:
            context.close()
    assert not found, found


def test_keyboard_skip_link_and_tooltips(page, base_url, docs):
    """The first Tab shows the skip link, which moves focus to the content; numbers take focus from
    the keyboard and then show their tooltip; the chart's marks are not tab stops."""
    doc = by_source(docs, "01-")
    page.goto(f"{base_url}/documents/{doc.id}")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0  # on screen when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('.doctext mark.number')"):
            break
    else:
        raise AssertionError("no number reached by Tab")
    tip = page.evaluate("getComputedStyle(document.activeElement, '::after').content")
    assert "range:" in tip
    described = page.evaluate(
        "document.getElementById(document.activeElement.getAttribute('aria-describedby')).textContent"
    )
    assert "range:" in described
    page.goto(f"{base_url}/trackers/flood-displacement")
    assert page.locator("svg.timeline a.pt").count() >= 3
    assert page.locator("svg.timeline a.pt:not([tabindex='-1'])").count() == 0
    assert page.locator("svg.timeline").get_attribute("aria-hidden") == "true"
    assert page.locator("table#figures tbody tr").count() >= 3  # the chart's text alternative


@pytest.mark.parametrize("width", [1280, 390])
def test_tracker_chart_card_by_keyboard_and_mouse(browser, base_url, width):
    """The chart is one tab stop (its marks are none): once focused, the arrow keys move from
    figure to figure and a card shows each (date, outlet, range, expression, claimant) on screen,
    as a status region that screen readers read; its link opens the figure's claim page. Hovering
    a mark shows the same card."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        pg.goto(f"{base_url}/trackers/flood-displacement")
        api = pg.evaluate("fetch('/api/v1/trackers/flood-displacement').then(r => r.json())")
        dated = [p for p in api["points"] if p["date"]]
        marks = pg.locator("svg.timeline a.pt")
        assert marks.count() == len(dated) >= 3
        for _ in range(40):
            pg.keyboard.press("Tab")
            assert not pg.evaluate("document.activeElement.matches('svg *')")  # no mark is a tab stop
            if pg.evaluate("document.activeElement.matches('.chart-frame')"):
                break
        else:
            raise AssertionError("the chart is not reached by Tab")
        assert "arrow keys" in pg.locator(".chart-frame").get_attribute("aria-label")  # set by the script
        card = pg.locator(".chart-card")
        assert card.get_attribute("role") == "status" and card.is_visible()

        def on_screen() -> None:
            box = card.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, box
            assert pg.evaluate("document.documentElement.scrollWidth <= innerWidth")

        assert f"figure 1 of {len(dated)}" in card.inner_text()
        assert dated[0]["date"] in card.inner_text()
        assert f"{dated[0]['claimant']} ({dated[0]['claimant_type']})" in card.inner_text()
        on_screen()
        pg.keyboard.press("ArrowRight")
        assert f"figure 2 of {len(dated)}" in card.inner_text() and dated[1]["text"] in card.inner_text()
        assert pg.locator("svg.timeline a.pt.current").count() == 1
        pg.keyboard.press("End")
        last = dated[-1]
        assert f"figure {len(dated)} of {len(dated)}" in card.inner_text()
        assert last["date"] in card.inner_text()
        on_screen()
        _shot(pg, f"tracker-card-{width}.png")
        pg.keyboard.press("Tab")  # into the card: its first link, the claim page
        assert pg.evaluate("document.activeElement.textContent") == "Open the claim"
        with pg.expect_navigation():
            pg.keyboard.press("Enter")
        doc, anchor = last["href"].split("#n")
        assert pg.url == f"{base_url}{doc}/numbers/{anchor}"
        assert pg.locator("mark.claim-words").inner_text() == last["text"]
        pg.go_back()
        pg.locator("svg.timeline a.pt circle").nth(2).hover()
        assert card.is_visible() and f"figure 3 of {len(dated)}" in card.inner_text()
        assert pg.locator("svg.timeline a.pt").nth(2).locator("title").count() == 0  # no second tooltip
        on_screen()
        assert not problems, problems
    finally:
        context.close()


def test_sorting_a_table_by_its_headers(page, base_url):
    """Clicking a column's header sorts the table by it (largest first for a range), clicking it
    again the other way round; the header says so (aria-sort, an arrow); no script is involved."""
    page.goto(f"{base_url}/numbers")
    assert page.locator("th[aria-sort='descending']").inner_text().startswith("Date")
    with page.expect_navigation():
        page.get_by_role("link", name="Range").click()
    assert page.url.endswith("/numbers?sort=-value")
    header = page.locator("th", has=page.get_by_role("link", name="Range"))
    assert header.get_attribute("aria-sort") == "descending" and "▼" in header.inner_text()
    assert page.locator("th[aria-sort]").count() == 1

    def values() -> list[float]:
        # A range's first figure: its lower bound, else its upper one ("up to 9"), as the sort takes.
        cells = page.locator("table.rows tbody td.num").all_inner_texts()
        return [float(m.group().replace(",", "")) for c in cells if (m := re.search(r"\d[\d,]*(\.\d+)?", c))]

    first = values()
    assert len(first) >= 5 and first == sorted(first, reverse=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Range").click()
    assert page.url.endswith("/numbers?sort=value") and header.get_attribute("aria-sort") == "ascending"
    assert values() == sorted(values())
    page.goto(f"{base_url}/trackers/flood-displacement")
    with page.expect_navigation():
        page.locator("#figures").get_by_role("link", name="Claimant").click()
    assert page.url.endswith("?sort=claimant#figures")
    claimants = [c.split("\n")[0] for c in page.locator("#figures tbody td:nth-child(3)").all_inner_texts()]
    assert claimants == sorted(claimants, key=str.casefold)


def test_tracker_csv_downloads(page, base_url):
    page.goto(f"{base_url}/trackers/flood-displacement")
    with page.expect_download() as info:
        page.locator("a[href$='format=csv']").first.click()
    download = info.value
    assert download.suggested_filename == "tracker-flood-displacement.csv"
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text())))
    assert rows[0][:3] == ["date", "low", "high"]
    assert len(rows) - 1 == page.locator("table#figures tbody tr").count()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_of_a_claim_page_and_a_tracker(browser, base_url, docs, width):
    """Screenshots for the README (refreshed in docs/screenshots with CLAIMLEDGER_UPDATE_SCREENSHOTS=1)."""
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    pg = context.new_page()
    try:
        doc = by_source(docs, "05-")
        shots = {
            f"claim-{width}.png": f"/documents/{doc.id}/quotes/0",
            f"tracker-{width}.png": "/trackers/flood-displacement",
        }
        for name, path in shots.items():
            pg.goto(f"{base_url}{path}")
            assert pg.evaluate("document.documentElement.scrollWidth <= innerWidth")
            _shot(pg, name)
            if os.environ.get("CLAIMLEDGER_UPDATE_SCREENSHOTS"):
                pg.screenshot(path=str(DOC_SCREENSHOT.parent / name))
    finally:
        context.close()
