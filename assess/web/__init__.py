"""The web: the JSON API (api/), the console of those who run assessments (console/), the
respondent's pages (pages/) and the bodies the API reads and answers (schemas/).

Beside them, what all of them share: the dependencies routes chain in (deps.py), the rate
limits of the routes anyone can reach (rate_limits.py), every error's answer (errors.py,
with methods.py for a 405's Allow header), the service's health and metrics (health.py),
what every request passes before a route (middleware/) and what the API and the pages
both do (actions/)."""
