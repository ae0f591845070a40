"""Public warnings (W1–W3). For now only the draft a concluded `unsafe` assessment creates;
issue 5 builds the rest of a warning's life (approval, publication, lifting)."""
