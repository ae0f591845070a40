"""Public warnings (预警, W1–W3): the life cycle (`lifecycle`), what the public sees
(`publication`), targeted push and acknowledgement (`push`), and tracking (`tracking`); the
models, enums, events and numbering they share sit here."""
