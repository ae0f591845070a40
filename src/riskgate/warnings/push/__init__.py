"""Targeted push (精准推送) of warnings: subscriptions, the fan-out of each publication and
follow-up, and acknowledgement (签收) with reminders and escalation."""
