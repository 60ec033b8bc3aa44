"""The one error type a user sees: a sentence naming the file, row or parameter and what was expected."""


class XwalkError(Exception):
    """Bad input or an unusable dataset. Surfaces print the message and exit with code 2, never a traceback."""

    exit_code = 2
