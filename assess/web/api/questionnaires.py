"""Questionnaires in the JSON API: the published ones, one complete, and publishing a file
(admins). Routes stay thin; queries live in assess/persistence/repository/."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request, Response

from assess.domain.questionnaire import MAX_VERSION
from assess.domain.validation import parse_questionnaire
from assess.domain.yamlfile import FileProblems
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository import questionnaires
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    latest_questionnaires,
    questionnaire_of,
)
from assess.web.api.pagination import PAGED, PageDep, page_from
from assess.web.deps import (
    NOT_FOUND,
    AdminDep,
    SessionDep,
)
from assess.web.schemas.questionnaires import QuestionnaireSummary

router = APIRouter(prefix="/api/v1")


def _summary(row: QuestionnaireVersion) -> QuestionnaireSummary:
    q = questionnaire_of(row)
    return QuestionnaireSummary(
        id=q.id,
        version=q.version,
        languages=q.languages,
        title=q.title,
        dimensions=[d.id for d in q.dimensions],
        items=len(q.item_ids()),
        sha256=row.sha256,
    )


@router.get("/questionnaires", tags=["questionnaires"], responses=PAGED)
def list_questionnaires(
    session: SessionDep, request: Request, response: Response, page: PageDep
) -> list[QuestionnaireSummary]:
    """The newest version of every published questionnaire, by id."""
    rows = page_from(latest_questionnaires(session), request, response, page)
    return [_summary(row) for row in rows]


@router.get("/questionnaires/{questionnaire_id}", tags=["questionnaires"], responses=NOT_FOUND)
def get_questionnaire(
    questionnaire_id: str,
    session: SessionDep,
    version: Annotated[
        int | None, Query(ge=1, le=MAX_VERSION, description="By default the newest.")
    ] = None,
) -> dict[str, Any]:
    """One questionnaire, complete; the newest version unless `version` is given."""
    row = get_questionnaire_version(session, questionnaire_id=questionnaire_id, version=version)
    if row is None:
        raise HTTPException(404, f"No questionnaire '{questionnaire_id}' (version {version}).")
    return {"sha256": row.sha256, **questionnaire_of(row).model_dump(mode="json")}


@router.post(
    "/questionnaires",
    tags=["questionnaires"],
    status_code=201,
    responses={
        422: {"description": "The file has problems; each is listed with its line."},
        409: {"description": "This version is in use and differs from the published file."},
    },
)
def publish_questionnaire(
    session: SessionDep,
    admin: AdminDep,
    source: Annotated[str, Body(media_type="application/yaml", description="The YAML file.")],
) -> QuestionnaireSummary:
    """Publish a questionnaire file (admins). The same file again changes nothing."""
    try:
        questionnaire = parse_questionnaire(source, "questionnaire.yaml")
    except FileProblems as exc:
        raise HTTPException(422, {"problems": [str(p) for p in exc.problems]}) from None
    before = get_questionnaire_version(
        session, questionnaire_id=questionnaire.id, version=questionnaire.version
    )
    before_sha = before.sha256 if before is not None else None
    row, created = questionnaires.publish_questionnaire(
        session, questionnaire_id=questionnaire.id, version=questionnaire.version, source=source
    )
    if row.sha256 == before_sha:
        return _summary(row)  # the same file again: nothing happened
    audit_now(
        session,
        admin,
        "questionnaire.published",
        ("questionnaire_version", row.id),
        {"questionnaire_id": row.questionnaire_id, "version": row.version, "new": created},
    )
    return _summary(row)
