"""A warning's life cycle: drafting, the enterprises' comment window, review and approval by an
issuing authority, publication and numbered follow-ups."""
