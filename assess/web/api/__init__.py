"""The JSON API under /api/v1, one router per subject. Beside the routers, what only the
API has: pages of its lists (pagination.py), its OpenAPI document (openapi.py) and the
documentation pages that show it (docs.py)."""
