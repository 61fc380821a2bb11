"""The JSON API under /api/v1."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assess.web.deps import CatalogueDep, EntryDep

router = APIRouter(prefix="/api/v1")


class QuestionnaireSummary(BaseModel):
    """A questionnaire as listed: what it is, not its items."""

    id: str = Field(examples=["cx-maturity"])
    version: int = Field(examples=[1])
    languages: list[str] = Field(examples=[["de", "en"]])
    title: dict[str, str] = Field(examples=[{"de": "CX-Reifegrad", "en": "CX maturity"}])
    dimensions: list[str] = Field(examples=[["strategy", "orchestration", "tactics", "culture"]])
    items: int = Field(examples=[28])
    sha256: str = Field(description="Hash of the questionnaire file as published.")


@router.get("/questionnaires", tags=["questionnaires"])
def list_questionnaires(catalogue: CatalogueDep) -> list[QuestionnaireSummary]:
    """The questionnaires this service offers."""
    return [
        QuestionnaireSummary(
            id=e.questionnaire.id,
            version=e.questionnaire.version,
            languages=e.questionnaire.languages,
            title=e.questionnaire.title,
            dimensions=[d.id for d in e.questionnaire.dimensions],
            items=len(e.questionnaire.item_ids()),
            sha256=e.sha256,
        )
        for e in catalogue.entries.values()
    ]


@router.get(
    "/questionnaires/{questionnaire_id}",
    tags=["questionnaires"],
    responses={404: {"description": "No questionnaire with this id."}},
)
def get_questionnaire(entry: EntryDep) -> dict[str, Any]:
    """One questionnaire, complete: dimensions, items, stages, recommendations, profile."""
    return entry.questionnaire.model_dump(mode="json")
