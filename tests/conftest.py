import os
import shutil
from pathlib import Path

import pytest

from world import FILES
from xwalk.core import paths
from xwalk.load import load
from xwalk.services.catalog import Catalog

os.environ.pop("XWALK_IMPORTS", None)  # a developer's imported mapping sets must not change the shipped answers


@pytest.fixture(scope="session", autouse=True)
def answer_cache(tmp_path_factory) -> Path:
    """The commands the tests run answer through a cache of their own (xwalk.cache), never the developer's."""
    folder = tmp_path_factory.mktemp("xwalk-cache")
    os.environ["XWALK_CACHE"] = str(folder)
    return folder


@pytest.fixture(scope="session")
def store():
    """The shipped graph: ontology, catalogs and mapping sets."""
    return load()


@pytest.fixture(scope="session")
def catalog(store):
    return Catalog(store)


@pytest.fixture(scope="session")
def world():
    """The fixture world's store."""
    return load(files=FILES)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of the project's data (ontology/ and mappings/) to break on purpose."""
    for folder in ("ontology", "mappings"):
        shutil.copytree(paths.ROOT / folder, tmp_path / folder)
    return tmp_path
