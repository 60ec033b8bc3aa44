"""The command-line reference (docs/cli.md), generated from the click commands themselves: each command's help
exactly as `xwalk COMMAND --help` prints it, at a fixed width. `python -m xwalk.cli.reference` rewrites the file
(`--check` only compares); tests/test_cli_reference.py fails when it is stale."""

import sys
from pathlib import Path

import click

WIDTH = 100
DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "cli.md"
HEADER = """# The `xwalk` command line

Generated from the click commands by `python -m xwalk.cli.reference`; do not edit (a test fails when this file is
stale). Every command also prints its own help: `xwalk COMMAND --help`.
"""


def _help(command: click.Command, name: str, parent: click.Context | None) -> tuple[str, click.Context]:
    ctx = click.Context(command, info_name=name, parent=parent, terminal_width=WIDTH, max_content_width=WIDTH)
    return ctx.get_help(), ctx


def markdown(group: click.Group) -> str:
    """The reference of `group` and each of its commands, in name order, as Markdown."""
    root_help, root = _help(group, "xwalk", None)
    parts = [HEADER, "## xwalk\n", f"```text\n{root_help}\n```\n"]
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        if command is None or command.hidden:
            continue
        text, _ = _help(command, name, root)
        parts += [f"## xwalk {name}\n", f"```text\n{text}\n```\n"]
    return "\n".join(parts)


def main(argv: list[str]) -> int:
    """Rewrite docs/cli.md; with --check, only say whether it is stale (exit status 1)."""
    from xwalk.cli import main as xwalk

    text = markdown(xwalk)
    if "--check" in argv:
        stale = not DOCUMENT.is_file() or DOCUMENT.read_text("utf-8") != text
        if stale:
            print("docs/cli.md is stale: run `python -m xwalk.cli.reference`", file=sys.stderr)
        return 1 if stale else 0
    DOCUMENT.write_text(text, "utf-8")
    print("wrote docs/cli.md")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
