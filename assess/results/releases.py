"""Releases: results that move in steps. Whoever may not see single respondents sees an
assessment's results as of its latest release, which is made when they ask and at least
k responses have come since the one before (k of them for the first), and at closing on
the same condition. A release counts every response submitted by then and shows what the
disclosure rule allows with every earlier release taken into account, so no two answers
given at different moments differ by fewer than k respondents.

A release never changes. Responses whose answers are erased leave the figures; the rule
then weighs the earlier releases without them (someone who kept earlier figures holds
their share of those, as they held it before).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlmodel import Session

from assess.domain.answers import Response
from assess.domain.disclosure import Coded, Disclosure, decide, few, shown_sets, worked_out
from assess.domain.grouping import group_key
from assess.domain.isolation import BoolMatrix
from assess.domain.merging import Groups, groups_from, merged_responses, stored_groups
from assess.domain.questionnaire import Questionnaire
from assess.persistence.models.common import aware
from assess.persistence.models.responses import ResultRelease
from assess.persistence.repository import releases as stored


@dataclass(frozen=True)
class Step:
    """Where the releases stand: the one shown (if any) and when the next may come."""

    number: int | None  # 1 for the first release; None before it (or for a live view)
    counted: int  # responses in the figures shown
    submitted: int  # responses submitted so far
    next_after: int | None  # more submissions needed for the next release; None: live
    made_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        """Plain data for the API."""
        return {
            "number": self.number,
            "respondents": self.counted,
            "submitted": self.submitted,
            "next_update_after": self.next_after,
            "made_at": self.made_at.isoformat() if self.made_at else None,
        }


def questions_of(questionnaire: Questionnaire) -> list[str]:
    """The profile questions groups are made of, the default grouping first."""
    grouped = [p.id for p in questionnaire.profile if p.type != "text"]
    first = [q for q in questionnaire.default_group_by() if q in grouped]
    return first + [q for q in grouped if q not in first]


def keys_of(
    questionnaire: Questionnaire, responses: Sequence[Response]
) -> dict[str, list[str | None]]:
    """Per profile question, each response's group, in the order of the responses."""
    return {
        q: [group_key(r.profile.get(q)) for r in responses] for q in questions_of(questionnaire)
    }


def verdicts_of(
    release: ResultRelease, keys: Mapping[str, Sequence[str | None]], total: int
) -> Disclosure:
    """What a release shows of its `total` responses that still exist (answering `keys`)."""
    coded = {q: Coded(tuple(answers)) for q, answers in keys.items()}
    # Erasures since the release may have left fewer than k of it, or of a group.
    verdicts = Disclosure(release.k, total, coded, whole=total >= release.k)
    shown = {(q, v) for q, v in release.groups}
    for question, code in coded.items():
        for value in code.values:
            small = code.count(value) < release.k
            if small or (question, value) not in shown:
                verdicts.hidden[(question, value)] = (few if small else worked_out)(release.k)
    verdicts.crossings = {frozenset(pair) for pair in release.crossings}
    return verdicts


def _earlier(
    releases: Sequence[ResultRelease],
    ids: Sequence[str],
    responses: Sequence[Response],
    questionnaire: Questionnaire,
) -> BoolMatrix:
    """The sets every earlier release shows, over the responses submitted now: its groups
    as they were then, with the departments it merged (`responses` as answered)."""
    position = {rid: i for i, rid in enumerate(ids)}
    rows: list[BoolMatrix] = []
    for release in releases:
        members = [position[r] for r in release.responses if r in position]
        if not members:
            continue
        kept = merged_responses([responses[i] for i in members], groups_of(release))
        keys = keys_of(questionnaire, kept)
        verdicts = verdicts_of(release, keys, len(kept))
        for row in shown_sets(verdicts, keys):
            full = np.zeros(len(ids), dtype=bool)
            full[members] = row
            rows.append(full)
    return np.vstack(rows) if rows else np.zeros((0, len(ids)), dtype=bool)


def latest(
    session: Session,
    assessment_id: uuid.UUID,
    questionnaire: Questionnaire,
    submitted: Sequence[tuple[str, Response]],
    k: int,
    *,
    make: bool = True,
    merged: Groups = (),
) -> ResultRelease | None:
    """The newest release, made now first (unless `make` is false: within a transaction
    that must not commit) where at least k responses came since the one before, with the
    departments `merged` as they are now; None while there is none."""
    releases = stored.releases_of(session, assessment_id=assessment_id)
    last = releases[-1] if releases else None
    counted = set(last.responses) if last else set()
    fresh = sum(rid not in counted for rid, _ in submitted)
    if fresh < k or not make:
        return last
    ids = [rid for rid, _ in submitted]
    answered = [r for _, r in submitted]
    keys = keys_of(questionnaire, merged_responses(answered, merged))
    earlier = _earlier(releases, ids, answered, questionnaire)
    verdicts = decide(keys, len(ids), k, earlier=earlier)
    if not verdicts.whole:
        return last
    order = list(keys).index
    crossed = sorted((a, b) for a, b in (sorted(pair, key=order) for pair in verdicts.crossings))
    stored.add_release(
        session,
        assessment_id=assessment_id,
        seq=(last.seq if last else 0) + 1,
        k=verdicts.k,
        responses=ids,
        groups=verdicts.shown_groups(),
        crossings=crossed,
        department_groups=stored_groups(merged),
    )
    # Another request may have made it first: read what was kept, whoever kept it.
    releases = stored.releases_of(session, assessment_id=assessment_id)
    return releases[-1] if releases else None


def groups_of(release: ResultRelease | None) -> Groups:
    """The departments a release merged."""
    return groups_from(release.department_groups) if release else ()


def step_of(release: ResultRelease | None, counted: int, submitted: Sequence[str], k: int) -> Step:
    """Where the releases stand, for the page and the API (`submitted`: response ids)."""
    released = set(release.responses) if release else set()
    fresh = sum(rid not in released for rid in submitted)
    return Step(
        release.seq if release else None,
        counted,
        len(submitted),
        max(k - fresh, 1),
        aware(release.created_at) if release else None,
    )


def members_see(session: Session, assessment_id: uuid.UUID) -> int | None:
    """How many responses the latest release counts (None before the first), read
    without making one: what those who see releases see, beside the live figures."""
    releases = stored.releases_of(session, assessment_id=assessment_id)
    return len(releases[-1].responses) if releases else None
