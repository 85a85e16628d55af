"""Blind judging around the pure redaction core: per-entry redaction records, the organizer's
terms and restorations, the jobs that re-run redaction and the juror's generated file."""
