"""Signals (early warning): count series, detection runs, threshold rules, deduplication and
snooze, and the triage of signals into risk assessments."""
