"""The API's bodies about a study's public link and starting an anonymous response."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PublicLink(BaseModel):
    """A study's public link, shown this once; only its hash is kept."""

    token: str
    link: str = Field(description="The page respondents open.")
    form_url: str = Field(description="The study's form in the API; POST to it to start.")


class StudyStart(BaseModel):
    """An anonymous respondent's personal link, to save and submit at `respond_url`."""

    respondent: str = Field(description="A generated label that identifies no one.")
    token: str = Field(description="Keep it to come back to your answers; shown once.")
    respond_url: str
