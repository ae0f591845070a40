"""Assessment reports (A4): quarterly and per-category reports as PDF and Excel."""
