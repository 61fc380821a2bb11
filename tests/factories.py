"""Small builders of questionnaires, answers and images for tests: only what a test cares
about."""

from __future__ import annotations

import io
from typing import Any

import yaml
from PIL import Image

from assess.domain.questionnaire import Questionnaire
from assess.domain.validation import parse_questionnaire

LANGUAGES = ["de", "en"]


def text(word: str = "Text") -> dict[str, str]:
    """The same text in German and English."""
    return {"de": word, "en": word}


def scale_item(item_id: str, **extra: Any) -> dict[str, Any]:
    """A scale item on the questionnaire's scale."""
    return {"id": item_id, "type": "scale", "text": text(item_id), **extra}


def choice_item(item_id: str, scores: dict[str, float], **extra: Any) -> dict[str, Any]:
    """A choice item whose options score as given."""
    options = [{"value": v, "label": text(v), "score": s} for v, s in scores.items()]
    return {"id": item_id, "type": "choice", "text": text(item_id), "options": options, **extra}


def boolean_item(item_id: str, **extra: Any) -> dict[str, Any]:
    """A yes/no item."""
    return {"id": item_id, "type": "boolean", "text": text(item_id), **extra}


def dimension(dim_id: str, *items: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A dimension holding `items`."""
    return {"id": dim_id, "name": text(dim_id), "items": list(items), **extra}


def recommendation(rec_id: str | None, when: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A recommendation chosen `when` the rule holds (no id where `rec_id` is None)."""
    found = {"id": rec_id} if rec_id is not None else {}
    return {**found, "when": when, "text": text(rec_id or "advice"), **extra}


def importance_scale(low: int = 1, high: int = 5) -> dict[str, Any]:
    """The importance block: every respondent rates every dimension from `low` to `high`."""
    return {"min": low, "max": high, "text": text("How important?")}


def choice_question(question_id: str, *values: str, scope: str = "organisation") -> dict[str, Any]:
    """A profile question with these options, of the organisation or of each respondent."""
    options = [{"value": v, "label": text(v)} for v in values]
    return {
        "id": question_id,
        "type": "choice",
        "scope": scope,
        "text": text(question_id),
        "options": options,
    }


def questionnaire_data(*dimensions: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """Plain data of a valid questionnaire: scale 1-5, five stages, a department question."""
    data: dict[str, Any] = {
        "id": "test",
        "version": 1,
        "languages": LANGUAGES,
        "title": text("Test"),
        "scale": {"min": 1, "max": 5},
        "stages": [
            {"id": s, "min_score": m, "name": text(s)}
            for s, m in (("one", 0), ("two", 20), ("three", 40), ("four", 60), ("five", 80))
        ],
        "dimensions": list(dimensions) or [dimension("d1", scale_item("i1"))],
        "profile": [
            {
                "id": "department",
                "type": "choice",
                "scope": "respondent",
                "text": text("Department"),
                "options": [{"value": v, "label": text(v)} for v in ("sales", "service", "it")],
            }
        ],
    }
    data.update(extra)
    return data


def make_questionnaire(*dimensions: dict[str, Any], **extra: Any) -> Questionnaire:
    """A questionnaire that went through the whole validator, as a file would."""
    return parse_questionnaire(yaml.safe_dump(questionnaire_data(*dimensions, **extra)))


def csv_bytes(header: list[str], *rows: list[Any]) -> bytes:
    """An answers CSV file."""
    lines = [",".join(header)] + [",".join("" if c is None else str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


def png(width: int = 40, height: int = 20) -> bytes:
    """A one-colour PNG image of that size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 127, 92)).save(buffer, format="PNG")
    return buffer.getvalue()
