"""Peer figures for researchers: every peer group of a questionnaire version's pool that
may be shown, with its distribution of scores; withheld groups are only counted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from assess.domain.benchmarking import GroupKind
from assess.results.peers import peer_benchmarks
from assess.web.api.research import RESEARCH, ResearcherDep, published_version
from assess.web.deps import SessionDep
from assess.web.schemas.fields import VersionInPath
from assess.web.schemas.research import ResearchBenchmarks

router = APIRouter(prefix="/api/v1", tags=["research"])


@router.get(
    "/research/questionnaires/{questionnaire_id}/versions/{version}/benchmarks",
    responses=RESEARCH,
    response_model=ResearchBenchmarks,
)
def research_benchmarks(
    questionnaire_id: str,
    version: VersionInPath,
    request: Request,
    session: SessionDep,
    _user: ResearcherDep,
    kind: Annotated[GroupKind | None, Query(description="Only groups of this kind.")] = None,
    value: Annotated[
        list[str] | None,
        Query(description="Only the group with these values (industry and size: both)."),
    ] = None,
    score: Annotated[
        str | None, Query(description="Only this score: `overall` or a level's id.")
    ] = None,
) -> dict[str, Any]:
    """Per peer group that may be shown (at least k organisations, and never two groups
    that differ by fewer than k): n, median, quartiles and the median's 95 % interval
    of the overall score and of each level; per level of the whole pool ICC(1) and
    ICC(2) with their 95 % intervals, and Cronbach's alpha with its listwise n."""
    row = published_version(session, questionnaire_id, version)
    k = request.app.state.settings.benchmark_k
    return peer_benchmarks(session, row, k, kind=kind, value=value, score=score)
