"""End to end: `streamlit run ui/app.py` on loopback, driven by Debian's Chromium through Playwright. Uploads the
example Statement of Applicability, reads the coverage figures off the page, and saves a screenshot of each page
under var/screenshots/."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from servers import free_port, running
from xwalk.present import reports
from xwalk.services import baseline, coverage

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "soa-27001-partial.csv"  # its figures differ from the page's default example
SHOTS = ROOT / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 30_000
PAGES = {  # url path -> a text the loaded page shows, and the element holding its data
    "": ("Crosswalk matrix", "stPlotlyChart"),
    "browse": ("Place in its standard", "stDataFrame"),
    "graph": ("mapped provisions", "stPlotlyChart"),
    "ai-act": ("EU AI Act: my AI systems", "stPlotlyChart"),
    "sparql": ("Example queries", "stDataFrame"),
}


def _chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        pytest.fail("Debian's chromium is missing: `make system-deps` installs it (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def explorer():
    """The explorer served by `streamlit run` on a free loopback port, stopped after the module's tests."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "ui/app.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]
    with running(command, f"http://127.0.0.1:{port}/_stcore/health", cwd=ROOT):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module, so the app's scripts load once; each test opens its own tab. Every URL
    the pages ask for is kept in `context.requested`."""
    context = browser.new_context(viewport={"width": 1440, "height": 2200}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    context.requested = []
    context.on("request", lambda request: context.requested.append(request.url))
    yield context
    context.close()


@pytest.fixture
def page(context):
    tab = context.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="module")
def expected(catalog):
    """The engine's own answer for the example SoA against ISO/IEC 42001."""
    return coverage.compute(catalog, baseline.build(catalog, EXAMPLE), "iso42001")


def _shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(500)  # let charts finish their transition before the picture
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _metric(page, label: str, exact: bool = False) -> str:
    label_of = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=exact)
    metric = page.get_by_test_id("stMetric").filter(has=label_of)
    return metric.get_by_test_id("stMetricValue").inner_text().strip()


def _upload(page, url: str, name: str, content: bytes) -> None:
    page.goto(f"{url}/coverage")
    sidebar = page.get_by_test_id("stSidebar")  # the radio's "Upload", not an uploader's button of the same name
    sidebar.get_by_role("radiogroup", name="Statement of Applicability").get_by_text("Upload", exact=True).click()
    soa = page.get_by_test_id("stFileUploader").filter(has_text="Your SoA")  # not the overrides' uploader
    soa.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )


def test_uploaded_soa_shows_the_engines_coverage(explorer, page, expected):
    _upload(page, explorer, "our-soa.csv", EXAMPLE.read_bytes())
    page.get_by_text("Statement of Applicability our-soa.csv").wait_for()  # the upload is the baseline now
    s = expected.summary
    assert _metric(page, "Estimate") == reports.pct(s.estimate)
    assert _metric(page, "Lower bound") == reports.pct(s.lower)
    assert _metric(page, "Upper bound") == reports.pct(s.upper)
    assert _metric(page, "Provisions") == str(s.provisions)
    assert _metric(page, "Done", exact=True) == str(s.verdicts["done"])  # not "Work done"
    page.get_by_test_id("stPlotlyChart").first.wait_for()
    _shoot(page, "coverage")

    page.get_by_role("tab", name="Downloads").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON (full report)").click()
    data = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert data["summary"]["estimate"] == s.estimate
    assert len(data["provisions"]) == s.provisions


def test_bad_upload_names_the_rows_at_fault(explorer, page):
    bad = (
        b"Control,Applicable,Implementation status\nA.5.1,Yes,Implemented\nA.99.1,Yes,Implemented\nA.5.2,Yes,sort of\n"
    )
    _upload(page, explorer, "broken-soa.csv", bad)
    alert = page.get_by_test_id("stAlertContentError")
    alert.wait_for()
    message = alert.inner_text()
    assert "broken-soa.csv" in message
    assert "row 3" in message and "A.99.1" in message
    assert "row 4" in message and "sort of" in message
    assert page.get_by_test_id("stException").count() == 0
    _shoot(page, "coverage-bad-upload")


@pytest.mark.parametrize("path", list(PAGES))
def test_each_page_shows_real_data(explorer, page, path):
    page.goto(f"{explorer}/{path}")
    text, data = PAGES[path]
    page.get_by_text(text).first.wait_for()
    if path == "sparql":
        page.get_by_role("button", name="Run").click()
        page.get_by_text("6 rows").wait_for()
    page.get_by_test_id(data).first.wait_for()
    assert page.get_by_test_id("stException").count() == 0
    foreign = [u for u in page.context.requested if not u.startswith((explorer, "data:", "blob:", "about:"))]
    assert not foreign, f"the page asked for something beyond the explorer (no CDN at run time): {foreign[:5]}"
    _shoot(page, path or "overview")


def test_a_click_on_a_graph_node_opens_it(explorer, page):
    page.goto(f"{explorer}/graph")
    heading = page.get_by_test_id("stHeading").filter(has_text="Article 4 — AI literacy")
    heading.wait_for()
    nodes = page.get_by_test_id("stPlotlyChart").locator(".scatterlayer .trace").last.locator(".points path")
    nodes.first.click(force=True)  # a node of the last standard drawn, never the focus (a star of the AI Act)
    heading.wait_for(state="detached")
    assert "Article 4" not in page.get_by_test_id("stHeading").nth(1).inner_text()


def test_a_click_on_a_matrix_cell_lists_its_mappings(explorer, page):
    page.goto(explorer)
    caption = page.get_by_text("mappings from").first
    caption.wait_for()
    assert "with relation" not in caption.inner_text()
    matrix = page.get_by_test_id("stPlotlyChart").nth(1)
    cell = matrix.locator(".scatterlayer .trace .points path").first  # the first pair, relation equal
    cell.click(force=True)
    page.get_by_text("with relation equal").wait_for()


def test_text_from_users_and_data_is_shown_as_text_not_markup(explorer, page):
    payload = "<img src=x onerror=alert(1)> **bold** $x^2$ :red[red] [link](javascript:alert(1))"
    page.goto(f"{explorer}/browse")
    box = page.get_by_label("Find a provision by id or words")
    box.fill(payload)
    box.press("Enter")
    alert = page.get_by_test_id("stAlertContentInfo").filter(has_text="No provision matches")
    alert.wait_for()
    assert payload in alert.inner_text()
    assert alert.locator("img, strong, a, .katex").count() == 0


def test_the_plan_tab_shows_the_tasks_and_the_effort_chart(explorer, page, catalog):
    from xwalk.services import plan

    drawn = plan.build(catalog, baseline.build(catalog, ROOT / "examples" / "soa-27001-full.csv"), "iso42001")
    page.goto(f"{explorer}/coverage")
    page.get_by_role("tab", name="Plan").click()
    panel = page.get_by_role("tabpanel", name="Plan")
    panel.get_by_test_id("stDataFrame").first.wait_for()
    assert _metric(page, "Tasks") == str(len(drawn.tasks))
    panel.get_by_test_id("stPlotlyChart").first.wait_for()
    panel.get_by_text(f"{len(drawn.tasks)} tasks, ").first.wait_for()  # the plan's headline
    assert page.get_by_test_id("stException").count() == 0
    _shoot(page, "coverage-plan")
