"""dhrgen: generator of the bundled DHR-style test corpus (stdlib only)."""
