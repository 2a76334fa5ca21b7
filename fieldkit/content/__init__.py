"""The content model and its source format (see content/README.md)."""
