"""Rapid response (快速反应, R1 R2 G1): joint-disposal rules, response cases with tasks per
measure for the lead and cooperating units, progress reports, reminders and escalation, effect
evaluation and enterprises' petitions to lift a measure."""
