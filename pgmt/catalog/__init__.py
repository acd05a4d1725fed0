"""Reading PostgreSQL catalogs into snapshots."""
