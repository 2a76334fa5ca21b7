"""The `fieldkit` command: a public interface (DESIGN.md, "CLI contract").

One module per command group; `common` is the one place for passphrases, output,
errors and exit codes (`fieldkit.errors.ExitCode`). Errors are one line on stderr,
never a traceback.

Adding a command group
----------------------
1. Write `fieldkit/cli/<group>.py` exposing ``register(subparsers)``, which adds its
   commands with ``common.add_command`` (or ``subparsers.add_parser`` for a group with
   actions, like `content`). A command is a function ``(args) -> int``; one that needs
   the unlocked profile is wrapped in ``@common.with_store`` and receives
   ``(args, store, lang)``. Raise a `FieldkitError` subclass for anything the user
   should read: `common.run` prints its message and returns its exit code.
2. Add the module's name to `GROUPS` in `fieldkit/cli/main.py` (one line).
   tests/core/test_cli.py fails if a module with ``register`` is not listed.
"""

from __future__ import annotations

from fieldkit.cli.main import build_parser, main

__all__ = ["build_parser", "main"]
