"""User-facing errors. Each carries a message fit to show and the CLI exit code.

Anything that is not a FieldkitError is a bug: it is logged without user data.
"""

from __future__ import annotations


class FieldkitError(Exception):
    """An expected failure the user can understand and act on."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(FieldkitError):
    exit_code = 2


class WrongPassphrase(FieldkitError):
    exit_code = 3


class ProfileMissing(FieldkitError):
    exit_code = 1


class ProfileExists(FieldkitError):
    exit_code = 1


class ProfileLocked(FieldkitError):
    exit_code = 3


class NewerSchema(FieldkitError):
    """The database was written by a newer Fieldkit; we refuse to touch it."""


class NotFound(FieldkitError):
    pass


class InvalidContent(FieldkitError):
    """Content that fails validation; `problems` lists every finding."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []


class VerificationFailed(FieldkitError):
    exit_code = 4


class Cancelled(Exception):
    """Raised by progress callbacks to stop long work; not an error."""
