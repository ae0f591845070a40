"""The expert committee (A2): panels by field, members and their declared conflicts of interest,
assessments referred to a panel and its experts, votes with rationale, quarterly meetings."""
