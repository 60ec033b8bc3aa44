"""The one error type a user sees: a sentence naming the file, row or parameter and what was expected."""


class XwalkError(Exception):
    """Bad input or an unusable dataset. Surfaces print the message and exit with code 2, never a traceback."""

    exit_code = 2


SHOWN = 25  # problems listed in a refusal; the rest are counted


def refuse(name: str, errors: list[str], counted: str, consequence: str) -> None:
    """Refuse a whole input for its `errors` (none: nothing happens), in one message: `name`, how many `counted`
    (problem(s), row(s) ...), the `consequence` (nothing was read ...), the first SHOWN problems one a line and
    how many more."""
    if errors:
        shown = "\n  ".join(errors[:SHOWN])
        more = f"\n  ... and {len(errors) - SHOWN} more" if len(errors) > SHOWN else ""
        raise XwalkError(f"{name}: {len(errors)} {counted}; {consequence}:\n  {shown}{more}")
