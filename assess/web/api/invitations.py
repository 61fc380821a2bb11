"""Invitations: each respondent's personal link, made one by one or from a CSV list,
with where and in which language to e-mail it."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Request, Response

from assess.persistence.models.assessments import Assessment, AssessmentStatus, Invitation
from assess.persistence.repository import invitations as stored_invitations
from assess.persistence.repository.audit import audit_now
from assess.persistence.repository.invitations import (
    Invitee,
    count_invitations,
    invitation_in,
    invitations_of,
    link_of,
    renew_link,
    set_invitation_address,
)
from assess.persistence.repository.questionnaires import (
    questionnaire_of_assessment,
)
from assess.results.studies import refuse_unless_assessment
from assess.web.actions.lead import mark_lead
from assess.web.api.pagination import PAGED, PageDep, announce
from assess.web.api.studies import NOT_FOR_STUDIES
from assess.web.deps import (
    MANAGED,
    ManagedAssessmentDep,
    SessionDep,
    UserDep,
    declared,
    server_key,
)
from assess.web.schemas.invitations import InvitationBatch, InvitationChange, InvitationPublic

router = APIRouter(prefix="/api/v1")
LEAD_YES = {"yes", "ja", "true", "y", "1"}
LEAD_NO = {"", "no", "nein", "false", "n", "0"}


@router.post(
    "/assessments/{assessment_id}/invitations",
    tags=["invitations"],
    status_code=201,
    responses=declared(
        MANAGED,
        NOT_FOR_STUDIES,
        {409: {"description": "The assessment is closed, or a label is taken."}},
    ),
)
def create_invitations(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    user: UserDep,
    request: Request,
    body: Annotated[
        InvitationBatch | str,
        Body(
            openapi_examples={
                "json": {
                    "value": {
                        "invitations": [
                            {"label": "Anna", "department": "sales", "email": "anna@example.org"}
                        ]
                    }
                },
                "csv": {
                    "value": "label,department,email,language\n"
                    "Anna,sales,anna@example.org,de\nBen,service,,en\n"
                },
            },
            description="JSON, or CSV (text/csv) with columns label and, if wanted, "
            "department, email, language and lead (yes or no; one lead at most).",
        ),
    ],
) -> list[InvitationPublic]:
    """Invite respondents, all or none, each with their link; one may be the lead."""
    refuse_unless_assessment(assessment, "invitations")
    if assessment.status == AssessmentStatus.closed:
        raise HTTPException(409, "This assessment is closed; invite respondents to a new wave.")
    batch = body if isinstance(body, InvitationBatch) else _invitations_from_csv(body)
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    _check_departments(questionnaire, [i.department for i in batch.invitations])
    _check_languages(questionnaire, [i.language for i in batch.invitations])
    made = stored_invitations.create_invitations(
        session,
        assessment=assessment,
        entries=[
            Invitee(
                i.label.strip(),
                i.department,
                i.email,
                i.language or questionnaire.languages[0],
                i.lead,
            )
            for i in batch.invitations
        ],
        key=server_key(request),
        expires_at=batch.expires_at,
    )
    audit_now(
        session, user, "respondents.added", ("assessment", assessment.id), {"count": len(made)}
    )
    base = str(request.base_url)
    return [_invitation(inv, token, base) for inv, token in made]


def _invitation(invitation: Invitation, token: str | None, base: str) -> InvitationPublic:
    return InvitationPublic(
        id=invitation.id,
        label=invitation.label,
        department=invitation.department,
        email=invitation.email,
        language=invitation.language,
        expires_at=invitation.expires_at,
        token=token,
        link=f"{base}r/{token}" if token else None,
        lead=invitation.lead,
    )


def _invitations_from_csv(text: str) -> InvitationBatch:
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "label" not in rows[0]:
        raise HTTPException(
            422,
            "Send CSV with a header row 'label,department' (and email, language, lead if wanted).",
        )
    _check_leads(rows)
    try:
        return InvitationBatch.model_validate(
            {
                "invitations": [
                    {
                        "label": r.get("label") or "",
                        "department": r.get("department") or None,
                        "email": r.get("email") or None,
                        "language": r.get("language") or None,
                        "lead": _yes(r.get("lead"), number),
                    }
                    for number, r in enumerate(rows, start=2)
                ]
            }
        )
    except ValueError as exc:
        raise HTTPException(422, f"Invalid invitation list: {exc}") from None


def _yes(cell: str | None, row: int) -> bool:
    """A lead cell of the CSV list: yes/ja/true or no/nein/false, empty for no."""
    word = (cell or "").strip().lower()
    if word in LEAD_NO:
        return False
    if word in LEAD_YES:
        return True
    raise HTTPException(422, f"Row {row}, column lead: write yes or no, not '{cell}'.")


def _check_leads(rows: list[dict[str, str | None]]) -> None:
    """At most one row of a CSV list marked as the lead; else 422 naming the rows."""
    marked = [
        n for n, r in enumerate(rows, start=2) if (r.get("lead") or "").strip().lower() in LEAD_YES
    ]
    if len(marked) > 1:
        raise HTTPException(
            422,
            f"Rows {', '.join(map(str, marked))} are each marked as the lead; mark one at most.",
        )


def _check_departments(questionnaire: Any, departments: list[str | None]) -> None:
    question = questionnaire.profile_question("department")
    options = {o.value for o in getattr(question, "options", [])}
    unknown = sorted({d for d in departments if d and options and d not in options})
    if unknown:
        raise HTTPException(
            422, f"Unknown department {', '.join(unknown)}; use one of: {', '.join(options)}"
        )


def _check_languages(questionnaire: Any, languages: list[str | None]) -> None:
    unknown = sorted({lang for lang in languages if lang and lang not in questionnaire.languages})
    if unknown:
        raise HTTPException(
            422,
            f"Unknown language {', '.join(unknown)}; this questionnaire is in "
            f"{', '.join(questionnaire.languages)}",
        )


@router.get(
    "/assessments/{assessment_id}/invitations",
    tags=["invitations"],
    responses=declared(MANAGED, NOT_FOR_STUDIES, PAGED),
)
def list_invitations(
    assessment: ManagedAssessmentDep,
    session: SessionDep,
    request: Request,
    response: Response,
    page: PageDep,
) -> list[InvitationPublic]:
    """An assessment's invitations, with their links (recomputed from the server's key;
    absent for links made under another key, which a new link replaces)."""
    refuse_unless_assessment(assessment, "invitations")
    key, base = server_key(request), str(request.base_url)
    announce(request, response, page, count_invitations(session, assessment_id=assessment.id))
    found = invitations_of(
        session, assessment_id=assessment.id, offset=page.offset, limit=page.limit
    )
    return [_invitation(i, link_of(i, key=key), base) for i in found]


@router.post(
    "/assessments/{assessment_id}/invitations/{invitation_id}/new-link",
    tags=["invitations"],
    responses=declared(MANAGED, NOT_FOR_STUDIES),
)
def renew_invitation_link(
    assessment: ManagedAssessmentDep,
    invitation_id: uuid.UUID,
    session: SessionDep,
    request: Request,
) -> InvitationPublic:
    """A new link for one respondent: the old link stops working, answers saved under it
    stay with the invitation."""
    refuse_unless_assessment(assessment, "invitations")
    invitation = invitation_of(session, assessment, invitation_id)
    token = renew_link(session, invitation=invitation, key=server_key(request))
    return _invitation(invitation, token, str(request.base_url))


# Only an id matches here, so that …/invitations/send (a POST of its own) answers other
# methods with 405, not with this route's 422 for an id that is no id.
@router.patch(
    "/assessments/{assessment_id}/invitations/{invitation_id:uuid}",
    tags=["invitations"],
    responses=declared(
        MANAGED,
        NOT_FOR_STUDIES,
        {422: {"description": "An unknown language, or another respondent is the lead."}},
    ),
)
def change_invitation(
    assessment: ManagedAssessmentDep,
    invitation_id: uuid.UUID,
    body: InvitationChange,
    session: SessionDep,
    user: UserDep,
    request: Request,
) -> InvitationPublic:
    """Change a respondent's e-mail address or language (say, after the mail server
    refused the address), e-mails not yet sent going to the new one; or mark or unmark
    them as the lead, who answers the items asked of one person."""
    refuse_unless_assessment(assessment, "invitations")
    invitation = invitation_of(session, assessment, invitation_id)
    changes = body.model_dump(include=body.model_fields_set)
    if "language" in changes:
        questionnaire = questionnaire_of_assessment(session, assessment=assessment)
        _check_languages(questionnaire, [changes["language"]])
        changes["language"] = changes["language"] or questionnaire.languages[0]
    if "lead" in changes:
        mark_lead(session, invitation, changes["lead"], user, via="api")
    if {"email", "language"} & changes.keys():
        set_invitation_address(
            session,
            invitation=invitation,
            email=changes.get("email", invitation.email),
            language=changes.get("language", invitation.language),
        )
    token = link_of(invitation, key=server_key(request))
    return _invitation(invitation, token, str(request.base_url))


def invitation_of(
    session: SessionDep, assessment: Assessment, invitation_id: uuid.UUID
) -> Invitation:
    """One invitation of the assessment; 404 for any other id."""
    invitation = invitation_in(session, assessment_id=assessment.id, invitation_id=invitation_id)
    if invitation is None:
        raise HTTPException(404, "No such invitation in this assessment.")
    return invitation
