"""What every request passes before a route sees it: the body and header limits
(guard.py), the refusal of forms posted from another site (cross_site.py) and one value
for each single-valued query parameter (single_values.py, an app-wide dependency)."""
