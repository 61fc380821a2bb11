"""Peer figures for researchers: every peer group of a questionnaire version's pool that
may be shown, with its distribution of scores; withheld groups are only counted."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request

from assess.domain.benchmarking import GroupKind, pool_key, score_ids
from assess.domain.peer_figures import peer_figures
from assess.persistence.repository.demo import real_organisations
from assess.persistence.repository.peer_groups import shown_groups_of
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.web.api.research import RESEARCH, ResearcherDep, published_version
from assess.web.deps import SessionDep
from assess.web.schemas.fields import VersionInPath

router = APIRouter(prefix="/api/v1", tags=["research"])


@router.get(
    "/research/questionnaires/{questionnaire_id}/versions/{version}/benchmarks",
    responses=RESEARCH,
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
    of the overall score and of each level."""
    questionnaire = questionnaire_of(published_version(session, questionnaire_id, version))
    dimension_ids = [d.id for d in questionnaire.dimensions]
    ids = score_ids(dimension_ids)
    if score is not None and score not in ids:
        raise HTTPException(422, f"score '{score}': use one of {', '.join(ids)}.")
    if value and kind in (None, GroupKind.all):
        raise HTTPException(422, "value: name the kind of group too, e.g. kind=industry.")
    k = request.app.state.settings.benchmark_k
    # The demo pool only in a database of demo data: there a researcher tries it all out.
    demo = real_organisations(session) == 0
    key = pool_key(questionnaire_id, dimension_ids, demo=demo)
    groups, withheld = shown_groups_of(session, pool_key=key, score_ids=ids, k=k, kind=kind)
    if value:
        groups = [g for g in groups if list(g.group.values) == value]
        if not groups:
            # The same words whether the group is small, too close to another, or empty.
            raise HTTPException(
                404,
                f"No figures for {kind.value if kind else ''} {' / '.join(value)}: a group "
                f"is shown only with at least {k} organisations, and only when it differs "
                f"from every shown group by at least {k}.",
            )
    elif not groups:
        raise HTTPException(
            404,
            f"No peer group of {questionnaire_id} version {version} may be shown yet: "
            f"figures need at least {k} organisations that opted in with a closed "
            "assessment of a questionnaire with the same levels.",
        )
    wanted = [score] if score else ids
    return {
        "questionnaire": {"id": questionnaire_id, "version": version},
        "k": k,
        "withheld_groups": withheld if not value else None,
        "groups": [
            {
                "kind": g.group.kind.value,
                "values": list(g.group.values),
                "label": g.group.label,
                "n": g.verdict.organisations,
                "scores": {
                    s: figures.to_dict()
                    for s in wanted
                    if (figures := peer_figures(g.distributions[s], None)) is not None
                },
            }
            for g in groups
        ],
    }
