"""What requests pass before a route sees them: the body and header limits (guard.py)
and the refusal of forms posted from another site (cross_site.py), on every request; and
one value for each single-valued query parameter (single_values.py, a dependency of the
JSON API's routes that take query parameters)."""
