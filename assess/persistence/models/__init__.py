"""The database tables, one module per aggregate. Migrations and tests import
every module, so that every table is on SQLModel.metadata."""
