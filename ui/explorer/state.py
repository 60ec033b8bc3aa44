"""The engine, loaded once per process, and its answers cached per input. Every number a page shows comes from
these calls into the engine's services; the pages only lay them out."""

from datetime import date
from pathlib import Path
from typing import NamedTuple

import streamlit as st

from xwalk.core import paths
from xwalk.core.settings import Settings
from xwalk.load import load
from xwalk.present import ai_act_reports, reports, soa_reports
from xwalk.services import ai_act, assess, baseline, browse, coverage, explore, overrides, search, soa, stats
from xwalk.services.catalog import Catalog
from xwalk.services.question import CoverageQuestion

DEFAULT_FOCUS = "https://w3id.org/xwalk/id/eu-ai-act-2024-1689/art-4"  # AI literacy: curated and derived mappings
FOCUS = "focus"  # session key of the provision the Browse and Graph pages show
EXAMPLES_DIR = paths.ROOT / "examples"
TARGETS = ("iso42001", "iso27701-2019", "iso27701-2025", "iso23894", "eu-ai-act")


@st.cache_resource(show_spinner="Loading the crosswalk graph…")
def catalog() -> Catalog:
    """The embedded store with every source file, its catalog and search index: built once per process, read-only
    after."""
    loaded = Catalog(load())
    search.index(loaded)
    return loaded


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings (xwalk.core.settings), read from the environment once per process."""
    return Settings.from_env()


@st.cache_resource(show_spinner="Starting the query workers…")
def query_pool():
    """Workers for the SPARQL page over a copy of the graph, with the service's limits (time, answer size, memory,
    no network, no federation): a query from the page never runs in this process, and it can be stopped."""
    import atexit
    import shutil

    from xwalk.store.pool import BlockingPool, QueryPool, materialise

    directory = materialise(catalog().store)
    pool = BlockingPool(QueryPool.from_settings(settings(), directory, size=2))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    atexit.register(pool.close)
    return pool


@st.cache_data(show_spinner=False)
def standards() -> dict[str, str]:
    """Standard key -> identifier, in identifier order."""
    return {s.key: s.identifier for s in sorted(catalog().standards(), key=lambda s: s.identifier)}


def label(key: str) -> str:
    return standards().get(key, key)


@st.cache_data(show_spinner=False)
def catalog_stats() -> list[stats.StandardStats]:
    return stats.catalog_stats(catalog())


@st.cache_data(show_spinner=False)
def mapping_counts() -> list[dict]:
    return stats.mapping_counts(catalog())


@st.cache_data(show_spinner=False)
def pair_mappings(subject_key: str, object_key: str) -> list[dict]:
    return explore.pair_mappings(catalog(), subject_key, object_key)


@st.cache_data(show_spinner=False, max_entries=256)
def find(text: str, standard: str | None) -> list[search.Hit]:
    """The engine's search (the same answer as `xwalk search` and /api/search)."""
    return search.search(catalog(), text, standard)


@st.cache_data(show_spinner=False)
def notations(key: str) -> list[str]:
    """The ids of a standard's provisions in catalog order."""
    return [u.notation for u in catalog().units(key)]


@st.cache_data(show_spinner=False)
def iris(key: str) -> dict[str, str]:
    """A standard's provisions: id (notation) -> IRI, for tables that name provisions by id."""
    return {u.notation: u.iri for u in catalog().units(key)}


@st.cache_data(show_spinner=False, max_entries=256)
def provision(iri: str):
    return catalog().provision(iri)


@st.cache_data(show_spinner=False, max_entries=256)
def record(iri: str, with_derived: bool) -> browse.ProvisionRecord:
    """The provision's record: the same as `xwalk show` and /api/provisions/{standard}/{id}."""
    return browse.provision_record(catalog(), catalog().provision(iri), with_derived)


@st.cache_data(show_spinner=False, max_entries=128)
def neighbourhood(iri: str, depth: int, with_derived: bool, with_parents: bool) -> explore.Neighbourhood:
    return explore.neighbourhood(catalog(), iri, depth, with_derived, with_parents)


@st.cache_data(show_spinner=False)
def ai_act_terms() -> dict[str, list[dict]]:
    return explore.ai_act_terms(catalog())


def example_files() -> list[Path]:
    return sorted(EXAMPLES_DIR.glob("soa-*.csv")) if EXAMPLES_DIR.is_dir() else []


class Ask(NamedTuple):
    """What a coverage report is asked for: a baseline (an example file of the project when `data` is None, else an
    uploaded Statement of Applicability with its name and bytes) and a target."""

    name: str
    data: bytes | None
    standard: str = "iso27001"
    certified: tuple[str, ...] = ()
    assume_certified: bool = True
    target: str = "iso42001"
    role: str | None = None
    tier: str | None = None
    on: date | None = None
    timeline: str | None = None
    with_derived: bool = False
    sheet: str | None = None  # how to read an SoA whose layout is not found alone, as the CLI's options
    columns: str = ""
    all_implemented: bool = False
    overrides_name: str = ""  # the organisation's overrides file (CSV or YAML), uploaded, and its bytes
    overrides_data: bytes | None = None

    def question(self) -> CoverageQuestion:
        """The coverage question (xwalk.services.question) this ask makes, its uploads read apart."""
        return CoverageQuestion(
            target=self.target,
            soa=EXAMPLES_DIR / Path(self.name).name if self.data is None else None,
            standard=self.standard,
            certified=self.certified,
            assume_certified=self.assume_certified,
            role=self.role,
            tier=self.tier,
            on=self.on,
            timeline=self.timeline,
            with_derived=self.with_derived,
            sheet=self.sheet or None,
            columns=(self.columns,) if self.columns else (),
            all_implemented=self.all_implemented,
        )


@st.cache_data(show_spinner="Computing coverage…", max_entries=32)
def report(ask: Ask) -> coverage.Report:
    held, judged = inputs(ask)
    return assess.coverage_report(catalog(), ask.question(), held, judgements=judged)  # as /api/coverage


def inputs(ask: Ask) -> tuple[baseline.Baseline, overrides.Overrides]:
    """The baseline and the organisation's overrides the ask names (the coverage report and the plan read both)."""
    cat = catalog()
    question = ask.question()
    if ask.data is not None:  # read here by the bounded readers; a worker process forked from Streamlit left
        held = baseline.from_upload(  # later pages unanswered
            cat, ask.name, ask.data, ask.standard, list(ask.certified), ask.assume_certified, question.reading(), False
        )
    else:
        held = question.build_baseline(cat)
    uploaded = None if ask.overrides_data is None else (ask.overrides_name, ask.overrides_data)
    return held, assess.judged(cat, upload=uploaded)  # as the API reads an uploaded overrides file


@st.cache_data(show_spinner=False, max_entries=32)
def rendered(ask: Ask, fmt: str) -> bytes:
    """The report in one of the engine's formats (html, xlsx, csv, json, md)."""
    content = reports.render(report(ask), fmt)
    return content if isinstance(content, bytes) else content.encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=32)
def draft_rows(ask: Ask) -> list[soa.DraftRow]:
    """The draft ISO/IEC 42001 Statement of Applicability of the asked baseline, whatever the asked target."""
    return soa.draft(report(ask._replace(target="iso42001", role=None, tier=None, on=None, timeline=None)))


@st.cache_data(show_spinner=False, max_entries=32)
def draft(ask: Ask, fmt: str) -> bytes:
    return soa_reports.draft_file(draft_rows(ask), fmt)


# ---------------------------------------------------------------- the AI Act per AI system


def example_inventory() -> bytes:
    path = EXAMPLES_DIR / "ai-inventory.yaml"
    return path.read_bytes() if path.is_file() else b"systems: []\n"


@st.cache_data(show_spinner="Reading the inventory…", max_entries=32)
def inventory_answer(
    name: str, data: bytes, on: date, timeline: str, certified: tuple[str, ...], flags: tuple[str, ...]
) -> dict:
    """The engine's answer for an inventory (the same as `xwalk obligations --format json`), with coverage from the
    certificates when any are chosen; a bad inventory raises XwalkError naming the entries at fault."""
    cat = catalog()
    systems = ai_act.from_upload(cat, name, data, {flag: True for flag in flags})
    question = CoverageQuestion(target="eu-ai-act", certified=certified, on=on, timeline=timeline)
    held = assess.held(cat, question) if certified else None
    return assess.inventory(cat, systems, question, held)  # as /api/obligations/inventory answers


@st.cache_data(show_spinner=False, max_entries=16)
def inventory_report(
    name: str, data: bytes, on: date, timeline: str, certified: tuple[str, ...], flags: tuple[str, ...]
) -> bytes:
    return ai_act_reports.to_html(inventory_answer(name, data, on, timeline, certified, flags)).encode("utf-8")
