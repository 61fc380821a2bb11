"""Where one organisation stands among its peers: its own scores with their intervals,
and for every peer group it belongs to either the group's figures or why the group is
not shown; and which group a report uses.

The organisation's own level scores get a 95 % Student-t interval from its respondents'
scores: mean +- t(0.975, n-1) * sd / sqrt(n).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from assess.domain.answers import Response, chunks_of
from assess.domain.benchmarking import (
    ATTRIBUTES,
    FALLBACK,
    OVERALL,
    Attributes,
    Group,
    GroupKind,
    Verdict,
)
from assess.domain.peer_figures import CONFIDENCE, Distribution, PeerFigures, peer_figures
from assess.domain.questionnaire import Questionnaire
from assess.domain.results import AssessmentResult, RespondentScore
from assess.domain.scoring import respondent_scores, score_table, table_from_chunks
from assess.domain.statistics import summarize


class Status(StrEnum):
    """Whether there is anything to compare with."""

    shown = "shown"  # at least one peer group is shown
    no_pool = "no_pool"  # no organisation has pooled an assessment of this kind
    too_small = "too_small"  # there is a pool, but none of the groups may be shown


@dataclass(frozen=True)
class OwnFigures:
    """The organisation's own score of one level and the interval from its respondents."""

    score: float | None
    n: int
    interval: tuple[float, float] | None

    def to_dict(self) -> dict[str, object]:
        """The figures as plain JSON values."""
        return {
            "score": self.score,
            "n": self.n,
            "interval": None if self.interval is None else list(self.interval),
        }


def own_figures(mean: float | None, sd: float | None, n: int) -> OwnFigures:
    """The Student-t interval of a mean of n respondents' scores with sample sd."""
    if mean is None or sd is None or n < 2:
        return OwnFigures(mean, n, None)
    from scipy.stats import t

    half = float(t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * sd / math.sqrt(n)
    return OwnFigures(mean, n, (mean - half, mean + half))


MESSAGES = {
    Status.shown: "Peer figures of every group that may be shown.",
    Status.no_pool: "No organisation has shared a closed assessment of this questionnaire "
    "(with these levels) yet, so there are no peers to compare with.",
    Status.too_small: "Too few organisations share assessments of this questionnaire for "
    "any peer group to be shown without identifying them; figures appear once at least "
    "{k} organisations take part.",
}


@dataclass(frozen=True)
class GroupFigures:
    """A peer group as stored: its verdict and, for each score, its distribution."""

    group: Group
    verdict: Verdict
    distributions: Mapping[str, Distribution] = field(default_factory=dict)


@dataclass(frozen=True)
class Skipped:
    """A group the report passed over on its way to the one it uses, and why: the
    attributes it needs that the organisation did not give, or the group and its
    verdict (with the shown group it is too close to)."""

    kind: GroupKind
    reason: str  # "missing" (the organisation gave no such attribute) or a verdict's
    group: Group | None = None  # None where an attribute is missing
    near: Group | None = None
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """Everything the API and the report show of an organisation among its peers."""

    status: Status
    k: int
    score_ids: list[str]
    own: dict[str, OwnFigures]
    groups: list[GroupFigures]  # the organisation's groups, broadest first
    peers: dict[str, dict[Group, PeerFigures]]  # score id -> shown group -> figures
    used: Group | None
    skipped: list[Skipped]

    def to_dict(self) -> dict[str, object]:
        """The JSON of the API: hidden groups by name and reason only."""
        return {
            "status": self.status.value,
            "message": MESSAGES[self.status].format(k=self.k),
            "k": self.k,
            "groups": [_group_dict(g, self.k) for g in self.groups],
            "report_group": None if self.used is None else _name(self.used),
            "report_group_fallback": [_skipped_dict(s) for s in self.skipped],
            "scores": {
                score_id: {
                    "own": self.own[score_id].to_dict(),
                    "peers": {
                        group.kind.value: {**_name(group), **figures.to_dict()}
                        for group, figures in self.peers.get(score_id, {}).items()
                    },
                }
                for score_id in self.score_ids
            },
        }


def _name(group: Group) -> dict[str, object]:
    return {"kind": group.kind.value, "values": list(group.values), "label": group.label}


def _skipped_dict(skipped: Skipped) -> dict[str, object]:
    """A group passed over: its values, or the attributes missing for it."""
    if skipped.group is None:
        return {"kind": skipped.kind.value, "reason": skipped.reason, "missing": skipped.missing}
    return {**_name(skipped.group), "reason": skipped.reason}


def _group_dict(figures: GroupFigures, k: int) -> dict[str, object]:
    verdict = figures.verdict
    if verdict.shown:
        return {**_name(figures.group), "shown": True, "n": verdict.organisations}
    return {**_name(figures.group), "shown": False, "reason": verdict.reason(k)}


def own_scores(
    questionnaire: Questionnaire, responses: Sequence[Response]
) -> dict[str, OwnFigures]:
    """The organisation's own figures per level from its submitted responses."""
    if not responses:
        return {}
    table = table_from_chunks(questionnaire, chunks_of(responses, questionnaire), keep_items=True)
    return own_levels(score_table(questionnaire, table), respondent_scores(questionnaire, table))


def own_levels(
    result: AssessmentResult, respondents: Sequence[RespondentScore]
) -> dict[str, OwnFigures]:
    """The organisation's own score per level with its Student-t interval; the overall
    score's interval uses the spread of the respondents' overall scores."""
    own = {
        dim: own_figures(f.score, f.summary.sd, f.summary.n)
        for dim, f in result.total.dimensions.items()
    }
    overall = summarize([r.overall for r in respondents if r.overall is not None])
    own[OVERALL] = own_figures(result.total.overall.score, overall.sd, overall.n)
    return own


def compare(
    score_ids: Sequence[str],
    own: Mapping[str, OwnFigures],
    stored: Sequence[GroupFigures],
    attributes: Attributes,
    k: int,
) -> Comparison:
    """The organisation's comparison with the stored groups it belongs to. Figures of a
    group that may not be shown are never read."""
    by_group = {g.group: g for g in stored}
    groups = [by_group[g] for g in attributes.groups() if g in by_group]
    shown = [g for g in groups if g.verdict.shown]
    peers: dict[str, dict[Group, PeerFigures]] = {}
    for score_id in score_ids:
        score = own[score_id].score if score_id in own else None
        for figures in shown:
            found = peer_figures(figures.distributions[score_id], score)
            if found is not None:
                peers.setdefault(score_id, {})[figures.group] = found
    used, skipped = _fallback(attributes, {g.group.kind: g for g in groups}, k)
    if not any(g.group.kind == GroupKind.all for g in groups):
        status = Status.no_pool
    else:
        status = Status.shown if shown else Status.too_small
    empty = OwnFigures(None, 0, None)
    return Comparison(
        status,
        k,
        list(score_ids),
        {s: own.get(s, empty) for s in score_ids},
        groups,
        peers,
        used,
        skipped,
    )


def _fallback(
    attributes: Attributes, of_kind: Mapping[GroupKind, GroupFigures], k: int
) -> tuple[Group | None, list[Skipped]]:
    """The first group of FALLBACK that may be shown, and why the ones before it are not."""
    skipped: list[Skipped] = []
    for kind in FALLBACK:
        figures = of_kind.get(kind)
        if figures is not None and figures.verdict.shown:
            return figures.group, skipped
        own = next((g for g in attributes.groups() if g.kind == kind), None)
        if figures is not None:
            verdict = figures.verdict
            skipped.append(Skipped(kind, verdict.reason(k) or "", figures.group, verdict.near))
        elif own is not None:  # no organisation of the pool is in it
            skipped.append(Skipped(kind, f"fewer than {k} organisations", own))
        else:
            missing = tuple(a for a in ATTRIBUTES[kind] if not getattr(attributes, a))
            skipped.append(Skipped(kind, "missing", missing=missing))
    return None, skipped
