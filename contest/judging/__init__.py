"""Judging: assignment of jurors to entries (pure core), reviews and scoring."""
