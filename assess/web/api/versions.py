"""Comparing published versions of a questionnaire: what changed, and whether benchmarks
pool their scores."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from assess.domain.questionnaire import MAX_VERSION, Questionnaire
from assess.domain.versions import compare
from assess.domain.versions_text import comparison_document
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    published_versions,
    questionnaire_of,
)
from assess.web.deps import NOT_FOUND, SessionDep

router = APIRouter(prefix="/api/v1", tags=["questionnaires"])


@router.get("/questionnaires/{questionnaire_id}/diff", responses=NOT_FOUND)
def diff(
    questionnaire_id: str,
    session: SessionDep,
    old: Annotated[int, Query(alias="from", ge=1, le=MAX_VERSION, description="The old version.")],
    new: Annotated[int, Query(alias="to", ge=1, le=MAX_VERSION, description="The new version.")],
    lang: Annotated[Literal["de", "en"], Query(description="Language of `summary`.")] = "en",
) -> dict[str, Any]:
    """Whether benchmarks pool the scores of two published versions (`pooling.poolable`:
    only when every score is computed the same way; `scores_changed_in` names the levels
    computed differently, `settings_changed` the questionnaire's scale or coverage), a
    `summary` in words, an `overview` per level (items added, removed, scored differently,
    reworded; recommendations) and of renamed stages, and every added, removed and changed
    dimension, item, stage and profile question, each difference with its effect."""
    before = _version(session, questionnaire_id, old)
    after = _version(session, questionnaire_id, new)
    return comparison_document(compare(before, after), before, after, lang)


def _version(session: SessionDep, questionnaire_id: str, version: int) -> Questionnaire:
    row = get_questionnaire_version(session, questionnaire_id=questionnaire_id, version=version)
    if row is not None:
        return questionnaire_of(row)
    known = published_versions(session, questionnaire_id=questionnaire_id)
    if not known:
        raise HTTPException(404, f"No questionnaire '{questionnaire_id}' is published.")
    listed = ", ".join(str(v) for v in known)
    raise HTTPException(
        404,
        f"Questionnaire '{questionnaire_id}' has no published version {version}; "
        f"published versions: {listed}.",
    )
