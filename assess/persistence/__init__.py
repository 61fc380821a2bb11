"""Where the data lives: the engine and its errors, the tables (models/) and every query
(repository/, one module per subject)."""
