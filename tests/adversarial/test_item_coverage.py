"""CWE-202 Exposure of sensitive information through data queries (differencing), through
who answered which item: a member sets a level's score against the items' scores, or
reads the release "after the workshop" (two releases' item scores set against each other
are test_advice_attacks' known failure). A level's score weighs each respondent by the items they
gave a score, so where one person skipped what the others answered, or alone answered
what the others skipped, the figures shown add up to that person's answers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.adversarial.departments import API, organisation_with_member, results, submit
from tests.conftest import Caller

HEADER = "respondent,department,i1,i2"


def scale_score(answer: int) -> float:
    """An answer of the 1 to 5 scale as its item score (rule 1)."""
    return (answer - 1) / 4 * 100


def total(figures: dict[str, Any]) -> float | None:
    """The sum of a figure's scores over its n (None where it is withheld)."""
    score = figures["score"]
    return None if score is None else score * figures["n"]


@pytest.mark.xfail(
    strict=True,
    reason="a level's score is a sum over respondents of their own items' mean, so a "
    "respondent who scored fewer of its items than the others weighs them differently; "
    "item scores over the others then isolate them (the disclosure rule looks at profile "
    "groups, not at who scored which item)",
)
def test_a_level_set_against_its_items_gives_the_one_who_skipped_an_item_their_level_score(
    client: TestClient, session: Session, admin: Caller
) -> None:
    """Finding: four respondents, one of them answered i2 'not applicable'; the release
    shows the level (n 4), i1 (n 4) and i2 (n 3). Each of the three others counts
    (i1 + i2) / 2 in the level and the fourth i1 alone, so 2 · level sum − i1 sum −
    i2 sum is the fourth's level score: their answer to i1."""
    org = organisation_with_member(client, session, admin, "cover-skip", (2,))
    submit(client, org, HEADER, "a,5,5", "a,4,4", "a,3,3", "b,2,na")
    shown = results(client, org.member, org.assessment).json()
    level, items = shown["dimensions"]["d"], shown["items"]
    assert (level["n"], items["i1"]["n"], items["i2"]["n"]) == (4, 4, 3)
    sums = [total(level), total(items["i1"]), total(items["i2"])]
    worked_out = None if None in sums else 2 * sums[0] - sums[1] - sums[2]  # type: ignore[operator]
    assert worked_out != scale_score(2), "the fourth respondent's answer to i1"


def test_the_workshop_view_of_a_release_hides_the_answer_it_withholds_of_an_item_few_answered(
    client: TestClient, session: Session, admin: Caller
) -> None:
    """Only one of four answered i2, so the release withholds i2's score. After the
    workshop settles i1 for everyone, each respondent's level score would be the settled
    i1 alone, or (settled i1 + i2) / 2 for the one who answered i2, and the level's score
    would give that one answer; so in a release after the workshop, i2's few answers
    count for nobody."""
    org = organisation_with_member(client, session, admin, "cover-workshop", (2,))
    submit(client, org, HEADER, "a,5,5", "a,4,", "b,3,", "b,2,")
    agreed = client.put(
        f"{API}/assessments/{org.assessment}/consensus/i1",
        json={"answer": 1, "rationale": "Nobody reads the figures yet."},
        headers=org.consultant.headers,
    )
    assert agreed.status_code == 201, agreed.text
    answered = results(client, org.member, org.assessment).json()
    assert answered["items"]["i2"] == {"score": None, "n": 1, "dont_know": 0}
    after = results(client, org.member, org.assessment, view="workshop").json()
    assert after["view"] == "workshop"
    level, settled = after["dimensions"]["d"], scale_score(1)
    answered_i2 = after["items"]["i2"]["n"]
    worked_out = (
        None
        if level["score"] is None
        else 2 * (total(level) - level["n"] * settled) + answered_i2 * settled  # type: ignore[operator]
    )
    assert worked_out != scale_score(5), "the one answer to i2 the release withholds"
    assert level["score"] == settled
    assert level["sd"] == 0.0
