"""Append-only audit log of phase changes, score changes, overrides and account events."""
