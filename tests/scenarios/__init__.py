"""Scenario tests: each proves one capability end to end, and is named after it."""
