"""The API's bodies about questionnaires."""

from __future__ import annotations

from pydantic import BaseModel, Field


class QuestionnaireSummary(BaseModel):
    """A questionnaire as listed: what it is, not its items."""

    id: str = Field(examples=["cx-maturity"])
    version: int = Field(examples=[1])
    languages: list[str] = Field(examples=[["de", "en"]])
    title: dict[str, str] = Field(examples=[{"de": "CX-Reifegrad", "en": "CX maturity"}])
    dimensions: list[str] = Field(examples=[["strategy", "orchestration", "tactics", "culture"]])
    items: int = Field(examples=[28])
    sha256: str = Field(description="Hash of the questionnaire file as published.")
