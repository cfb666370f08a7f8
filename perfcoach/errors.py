"""Errors the user can act on: each carries a one-line message and an exit code."""


class PerfcoachError(Exception):
    """A failure explained to the user in one line; never shown as a traceback."""

    exit_code = 1


class UsageError(PerfcoachError):
    """Bad input from the user (unknown lab, bad option): exit code 2, like click."""

    exit_code = 2
