"""Signed content updates: publishing and keys (repository side), fetchers and apply (client side)."""
