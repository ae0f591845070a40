"""What the public sees of warnings: the portal with search, the Atom feeds, OASIS CAP 1.2, the
public JSON API, export and the weekly report."""
