"""What to put in the path parameters of routes when attacking them."""

from __future__ import annotations

# Path parameters that name no tenant's object, and what to put in them: respondents' and
# studies' links are capabilities (attacked in test_tokens), questionnaires a catalogue
# every tenant shares, the rest choices among fixed words.
SHARED = {
    "token": "",
    "public_token": "no-such-study-link",
    "questionnaire_id": "service-check",
    "version": "2",
    "kind": "invitation",
    "language": "en",
    "number": "1",
    "item_id": "listen-feedback",
}
