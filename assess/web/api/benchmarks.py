"""Peer benchmarks: an organisation opts in or out, and an assessment is compared with
the peer groups of its organisation that may be shown."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from assess.persistence.repository.audit import audit
from assess.persistence.repository.benchmarks import set_opt_in
from assess.results.assessments import benchmark_of
from assess.web.api.results import viewer_figures
from assess.web.api.studies import TOO_FEW
from assess.web.deps import (
    MANAGED,
    NOT_FOUND,
    AssessmentDep,
    ManagedOrganisationDep,
    SessionDep,
    UserDep,
    declared,
)
from assess.web.schemas.organisations import OrganisationPublic

router = APIRouter(prefix="/api/v1", tags=["benchmarks"])


def _k(request: Request) -> int:
    k: int = request.app.state.settings.benchmark_k
    return k


@router.post("/organisations/{organisation_id}/benchmark/opt-in", responses=MANAGED)
def opt_in(
    organisation: ManagedOrganisationDep, session: SessionDep, user: UserDep, request: Request
) -> OrganisationPublic:
    """Take part in peer benchmarks: the organisation's closed assessments, and every one
    it closes from now on, enter the anonymous pool (consultants and admins)."""
    audit(session, user, "benchmark.opted_in", ("organisation", organisation.id))
    set_opt_in(session, organisation=organisation, opt_in=True, k=_k(request))
    return OrganisationPublic.model_validate(organisation)


@router.post("/organisations/{organisation_id}/benchmark/opt-out", responses=MANAGED)
def opt_out(
    organisation: ManagedOrganisationDep, session: SessionDep, user: UserDep, request: Request
) -> OrganisationPublic:
    """Stop taking part: the organisation's entries leave the pool, and every peer figure
    they were part of is computed again without them (consultants and admins)."""
    audit(session, user, "benchmark.opted_out", ("organisation", organisation.id))
    set_opt_in(session, organisation=organisation, opt_in=False, k=_k(request))
    return OrganisationPublic.model_validate(organisation)


@router.get("/assessments/{assessment_id}/benchmark", responses=declared(NOT_FOUND, TOO_FEW))
def benchmark(
    assessment: AssessmentDep, session: SessionDep, user: UserDep, request: Request
) -> dict[str, Any]:
    """For overall and each level: the organisation's own score with its 95 % interval,
    and per peer group that may be shown n, median, quartiles, the median's 95 %
    interval and the organisation's percentile rank; which group a report uses and why.
    Groups that may not be shown are named with the reason only. The own scores are
    those of the results the user sees (the latest release, unless they run it)."""
    figures = viewer_figures(session, request, user, assessment)
    return benchmark_of(session, assessment, figures, _k(request))
