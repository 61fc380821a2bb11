"""Request and response bodies of the JSON API, one module per subject; the field types
they share are in fields.py. Class names are unique across them: each becomes a schema
name in the OpenAPI document."""
