"""Signed content updates: publishing and keys (repository side), fetch and apply (client)."""
