"""User-facing errors. Each carries a message fit to show and the CLI exit code.

Anything that is not a FieldkitError is a bug: it is logged without user data.
The exit codes are the CLI contract (DESIGN.md); `ExitCode` is their one definition.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # with a one-line reason on stderr
    USAGE = 2
    LOCKED = 3  # wrong passphrase, or the profile is in use elsewhere
    VERIFICATION = 4  # an update or bundle failed verification, or cannot be verified
    INTERRUPTED = 130  # stopped by Ctrl-C (128 + SIGINT, as shells report it)


class FieldkitError(Exception):
    """An expected failure the user can understand and act on."""

    exit_code: int = ExitCode.FAILURE

    def __init__(self, message: str, detail: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        # Technical evidence (hashes, library errors) for --json and specialists,
        # kept out of the sentence a user reads.
        self.detail = detail


class UsageError(FieldkitError):
    exit_code = ExitCode.USAGE


class WrongPassphrase(FieldkitError):
    exit_code = ExitCode.LOCKED


class ProfileMissing(FieldkitError):
    exit_code = ExitCode.FAILURE


class ProfileExists(FieldkitError):
    exit_code = ExitCode.FAILURE


class ProfileLocked(FieldkitError):
    """Another process holds the profile (a write in progress, or a rekey)."""

    exit_code = ExitCode.LOCKED


class ProfileDamaged(FieldkitError):
    """The file is not a readable profile: truncated, emptied or corrupted.

    Never reported as a wrong passphrase; the file is left exactly as it was.
    """

    exit_code = ExitCode.FAILURE


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
    exit_code = ExitCode.VERIFICATION


class Interrupted(FieldkitError):
    """Ctrl-C stopped the command; the message says what was left (nothing, as a rule)."""

    exit_code = ExitCode.INTERRUPTED


class Cancelled(Exception):
    """Raised by progress callbacks to stop long work; not an error."""
