"""Peer figures of a questionnaire version's pool for researchers: every peer group that
may be shown (at least k organisations, and never two groups that differ by fewer than
k), with its distribution of scores; withheld groups are only counted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session

from assess.domain.benchmarking import GroupKind, score_ids
from assess.domain.comparison import GroupFigures
from assess.domain.peer_figures import peer_figures
from assess.domain.pooling import pool_key
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.demo import real_organisations
from assess.persistence.repository.peer_groups import shown_groups_of
from assess.persistence.repository.questionnaires import questionnaire_of
from assess.results.agreement import level_agreement
from assess.results.errors import NoFigures, Refused


def peer_benchmarks(
    session: Session,
    row: QuestionnaireVersion,
    k: int,
    *,
    kind: GroupKind | None = None,
    value: list[str] | None = None,
    score: str | None = None,
) -> dict[str, Any]:
    """The peer groups of a published questionnaire version that may be shown (of one
    `kind`, with one `value`), with the figures of one `score` or all, and per level how
    far the whole pool's organisations differ (ICC, alpha); Refused for a request that
    names no such score or a value without its kind, NoFigures where nothing is shown."""
    questionnaire_id, version = row.questionnaire_id, row.version
    questionnaire = questionnaire_of(row)
    ids = score_ids(d.id for d in questionnaire.dimensions)
    if score is not None and score not in ids:
        raise Refused(f"score '{score}': use one of {', '.join(ids)}.")
    if value and kind in (None, GroupKind.all):
        raise Refused("value: name the kind of group too, e.g. kind=industry.")
    groups, withheld = pool_groups(session, questionnaire, k, kind=kind)
    if value:
        groups = [g for g in groups if list(g.group.values) == value]
        if not groups:
            # The same words whether the group is small, too close to another, or empty.
            raise NoFigures(
                f"No figures for {kind.value if kind else ''} {' / '.join(value)}: a group "
                f"is shown only with at least {k} organisations, and only when it differs "
                f"from every shown group by at least {k}."
            )
    elif not groups:
        raise NoFigures(
            f"No peer group of {questionnaire_id} version {version} may be shown yet: "
            f"figures need at least {k} organisations that opted in with a closed "
            "assessment of a questionnaire version that computes scores the same way."
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
                "scores": group_scores(g, wanted),
            }
            for g in groups
        ],
        "levels": level_agreement(session, questionnaire, k, wanted),
    }


def pool_groups(
    session: Session,
    questionnaire: Questionnaire,
    k: int,
    *,
    kind: GroupKind | None = None,
) -> tuple[list[GroupFigures], int]:
    """The peer groups that may be shown of the pool of a questionnaire version (and of
    every version that computes scores the same way), of one `kind` if given, broadest
    first, and how many are withheld."""
    # The demo pool only in a database of demo data: there a researcher tries it all out.
    demo = real_organisations(session) == 0
    key = pool_key(questionnaire, demo=demo)
    ids = score_ids(d.id for d in questionnaire.dimensions)
    return shown_groups_of(session, pool_key=key, score_ids=ids, k=k, kind=kind)


def group_scores(group: GroupFigures, wanted: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The figures of each wanted score of a peer group that may be shown (a score
    without figures left out)."""
    return {
        s: figures.to_dict()
        for s in wanted
        if (figures := peer_figures(group.distributions[s], None)) is not None
    }
