"""The frozen app's entry point: the `fieldkit` command (no command: the desktop app)."""

from fieldkit.cli import main

raise SystemExit(main())
