"""The database migrations (Alembic), run by `assess db upgrade`; shipped in the wheel as
`assess.migrations`."""
