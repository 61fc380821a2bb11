"""A respondent's personal data exported, and erasing a respondent or an organisation:
what the API and the pages both do, each with the audit entry that records it; an
erasure in one transaction with everything the erased rows counted in recomputed."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from assess.persistence.models.assessments import Assessment, Invitation
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository import privacy
from assess.persistence.repository.audit import Actor, audit, audit_now
from assess.persistence.repository.benchmarks import refresh_changed_groups
from assess.persistence.repository.common import writing
from assess.persistence.repository.privacy import Erase, forget_reports, personal_data_of
from assess.web.actions import lifecycle


def export_personal_data(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    invitation: Invitation,
    **detail: str,
) -> tuple[str, str]:
    """Everything held about the respondent of `invitation` as a JSON document, and a file
    name for it; the export is recorded in the audit log (with `detail` besides)."""
    data = personal_data_of(session, invitation=invitation)
    audit_now(
        session,
        actor,
        "personal_data.exported",
        ("invitation", invitation.id),
        {"assessment_id": str(assessment.id), **detail},
    )
    document = json.dumps(data, ensure_ascii=False, indent=2)
    return document, f"personal-data-{invitation.id}.json"


def erase_respondent(
    session: Session,
    actor: Actor,
    assessment: Assessment,
    invitation: Invitation,
    *,
    erase: Erase,
    k: int,
) -> dict[str, Any]:
    """Erase a respondent's answers (and with `erase`, what names them); a closed
    assessment's snapshot and benchmark entry are recomputed from the others, and the
    organisation's reports, which showed the erased answers in their figures, deleted.
    What was erased."""
    invitation_id = invitation.id
    with writing(session):
        erased = privacy.erase_respondent(session, invitation=invitation, erase=erase)
        lifecycle.recompute_snapshot(session, assessment, k=k)
        reports = forget_reports(session, organisation_id=assessment.organisation_id)
        summary = {
            "invitation_id": str(invitation_id),
            "erase": erase.value,
            "responses": erased.responses,
            "emails": erased.emails,
            "invitation": erased.invitation,
            "reports_deleted": reports,
            "snapshot_recomputed": assessment.status == "closed",
        }
        audit(
            session,
            actor,
            "respondent.erased",
            ("invitation", invitation_id),
            {"assessment_id": str(assessment.id), **summary},
        )
        session.commit()
    refresh_changed_groups(session)
    return summary


def erase_organisation(
    session: Session, actor: Actor, organisation: Organisation, *, k: int
) -> dict[str, Any]:
    """Delete an organisation with everything of it; the peer groups it was in are
    recomputed without it. What was deleted, by table."""
    with writing(session):
        counts = privacy.erase_organisation(session, organisation=organisation, k=k)
        audit(
            session,
            actor,
            "organisation.erased",
            ("organisation", organisation.id),
            {"name": organisation.name, "deleted": counts},
        )
        session.commit()
    refresh_changed_groups(session)
    return {"organisation_id": str(organisation.id), "deleted": counts}
