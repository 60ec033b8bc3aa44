"""The generated command-line reference (docs/cli.md) is current: regenerated from the click commands, it is the
committed file; and it holds every command with its options."""

from pathlib import Path

from xwalk.cli import main
from xwalk.cli.reference import DOCUMENT, markdown

ROOT = Path(__file__).resolve().parents[1]


def test_the_cli_reference_is_current():
    assert DOCUMENT == ROOT / "docs" / "cli.md"
    assert DOCUMENT.read_text("utf-8") == markdown(main), "docs/cli.md is stale: run python -m xwalk.cli.reference"


def test_the_reference_names_every_command_and_option():
    text = markdown(main)
    names = main.list_commands(None)  # the root group loads its commands lazily: main.commands is empty
    assert len(names) > 10
    for name in names:
        command = main.get_command(None, name)
        assert f"## xwalk {name}\n" in text
        for parameter in command.params:
            for flag in parameter.opts:
                if flag.startswith("--"):
                    assert flag in text, f"xwalk {name}: {flag} is missing from the reference"
