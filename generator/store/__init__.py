"""The event store: append-only events on SQLite (default) or PostgreSQL."""
