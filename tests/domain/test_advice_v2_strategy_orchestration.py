"""Version 2's advice on the strategy and orchestration levels: it reacts to what the
answers say exists, to the organisation's size, to "can't judge" and to departments that
disagree, and gives an organisation at every stage a plan of two to five steps per level.

The organisations here answer every statement alike, so that each item scores what its
level says: answer 1-5 scores (a - 1) * 25 (reverse statements turned round), a lead fact
takes the option nearest to the level.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assess.domain.questionnaire import ChoiceItem, Questionnaire, ScaleItem
from assess.domain.scoring import score_answers
from assess.domain.validation import load_questionnaire

VERSION_2 = Path(__file__).parent.parent.parent / "questionnaires" / "cx-maturity-v2.yaml"
LEVELS = ("strategy", "orchestration")
MITTELSTAND = ("1-49", "50-249", "250-999")
KONZERN = ("1000-4999", "5000-plus")


@pytest.fixture(scope="module")
def version_2() -> Questionnaire:
    return load_questionnaire(VERSION_2)


def answer(item: Any, level: float) -> Any:
    """The answer whose item score lies nearest to `level` (0-100, high = mature)."""
    if isinstance(item, ScaleItem):
        code = 1 + round(level / 25)
        return 6 - code if item.reverse else code
    if isinstance(item, ChoiceItem):
        return min(item.options, key=lambda option: abs(option.score - level)).value
    return "yes" if level >= 50 else "no"


def organisation(
    questionnaire: Questionnaire,
    level: float,
    *,
    size: str = "50-249",
    facts: dict[str, str] | None = None,
    departments: dict[str, float] | None = None,
    cant_judge: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The score output of an organisation whose departments answer at `level` (or at the
    level given per department), those in `cant_judge` "can't judge" wherever they may; the
    first respondent is the lead."""
    spread = departments or {"marketing": level, "sales": level, "service": level}
    rows = []
    for number, (department, own_level) in enumerate(spread.items()):
        for person in range(2):
            lead = number == 0 and person == 0
            row: dict[str, Any] = {"respondent": f"{department}-{person}", "department": department}
            row.update({"size": size, "lead": "yes" if lead else ""})
            for _, item in questionnaire.items():
                if item.informant == "lead" and not lead:
                    continue
                dont_know = department in cant_judge and item.allow_dont_know
                row[item.id] = "dk" if dont_know else answer(item, own_level)
            if lead and facts:
                row.update(facts)
            rows.append(row)
    return score_answers(json.dumps(rows).encode(), questionnaire, kind="json").to_dict()


def chosen(out: dict[str, Any], level: str) -> list[str]:
    """The ids of the recommendations chosen on one level, in roadmap order."""
    return [advice["id"] for advice in out["recommendations"] if advice["dimension"] == level]


def recommendation(questionnaire: Questionnaire, rec_id: str) -> Any:
    """The recommendation with this id."""
    found = [r for d in questionnaire.dimensions for r in d.recommendations if r.id == rec_id]
    assert len(found) == 1, rec_id
    return found[0]


@pytest.mark.parametrize(
    ("level", "stage"),
    [
        (0, "lip-service"),
        (25, "evangelists"),
        (50, "departments"),
        (75, "orchestrated"),
        (100, "customer-passion"),
    ],
)
@pytest.mark.parametrize("size", ["50-249", "5000-plus"])
def test_every_stage_gets_a_plan_of_two_to_five_steps_per_level(
    version_2: Questionnaire, level: float, stage: str, size: str
) -> None:
    out = organisation(version_2, level, size=size)
    for dim in LEVELS:
        assert out["dimensions"][dim]["stage"] == stage
        assert 2 <= len(chosen(out, dim)) <= 5, (dim, chosen(out, dim))


def test_low_stages_start_with_basics_and_top_stages_keep_it_alive(
    version_2: Questionnaire,
) -> None:
    low = organisation(version_2, 0)
    top = organisation(version_2, 100)
    assert {"strategy-rec-decide-targets", "strategy-rec-goals"} <= set(chosen(low, "strategy"))
    assert "orchestration-rec-first-journey" in chosen(low, "orchestration")
    assert set(chosen(top, "strategy")) == {"strategy-rec-renew", "strategy-rec-day-one"}
    assert set(chosen(top, "orchestration")) == {
        "orchestration-rec-steer-by-journey",
        "orchestration-rec-review-with-customers",
    }


@pytest.mark.parametrize(
    ("inventory", "advised"),
    [
        ("none", {"orchestration-rec-inventory-build"}),
        ("older", {"orchestration-rec-inventory-update"}),
        ("two-years", {"orchestration-rec-inventory-update"}),
        ("this-year", set()),
    ],
)
def test_the_touchpoint_inventory_is_built_only_where_none_exists(
    version_2: Questionnaire, inventory: str, advised: set[str]
) -> None:
    out = organisation(version_2, 50, facts={"orchestration-inventory": inventory})
    about_inventory = {rec for rec in chosen(out, "orchestration") if "inventory" in rec}
    assert about_inventory == advised


@pytest.mark.parametrize("role", ["cx-manager", "c-level"])
@pytest.mark.parametrize("size", ["50-249", "5000-plus"])
def test_no_coordinator_is_advised_where_the_job_exists(
    version_2: Questionnaire, role: str, size: str
) -> None:
    out = organisation(version_2, 25, size=size, facts={"orchestration-cx-role": role})
    assert not [rec for rec in chosen(out, "orchestration") if "coordinator" in rec]


def test_figures_are_not_advised_to_a_board_that_reviews_them_every_quarter(
    version_2: Questionnaire,
) -> None:
    quarterly = organisation(version_2, 25, facts={"strategy-board-kpis": "quarterly"})
    never = organisation(version_2, 25, facts={"strategy-board-kpis": "never"})
    assert "strategy-rec-figures" not in chosen(quarterly, "strategy")
    assert "strategy-rec-figures" in chosen(never, "strategy")


def test_refinements_wait_until_goals_figures_and_responsibility_stand(
    version_2: Questionnaire,
) -> None:
    basics = {"strategy-board-kpis": "quarterly", "strategy-anchoring": "top-management"}
    without = organisation(version_2, 50, facts={"strategy-anchoring": "spread"})
    standing = organisation(version_2, 50, facts=basics)
    refinements = {
        "strategy-rec-right-customers",
        "strategy-rec-share-of-customer",
        "strategy-rec-quarter-rule",
    }
    assert not refinements & set(chosen(without, "strategy"))
    assert refinements <= set(chosen(standing, "strategy"))


@pytest.mark.parametrize(
    ("mittelstand", "konzern"),
    [
        ("strategy-rec-anchor-mittelstand", "strategy-rec-anchor-konzern"),
        ("orchestration-rec-coordinator-mittelstand", "orchestration-rec-coordinator-konzern"),
    ],
)
def test_mittelstand_and_konzern_get_their_own_first_step_and_owner(
    version_2: Questionnaire, mittelstand: str, konzern: str
) -> None:
    for size in MITTELSTAND + KONZERN:
        out = organisation(version_2, 0, size=size)
        ids = {rec for dim in LEVELS for rec in chosen(out, dim)}
        assert ids & {mittelstand, konzern} == {mittelstand if size in MITTELSTAND else konzern}
    small, large = recommendation(version_2, mittelstand), recommendation(version_2, konzern)
    for language in ("de", "en"):
        assert small.first_step[language] != large.first_step[language]
        assert small.owner[language] != large.owner[language]


def test_a_level_its_respondents_cannot_judge_is_made_visible_first(
    version_2: Questionnaire,
) -> None:
    # Where nobody can judge, the level has no score and no advice (rule 12); here
    # marketing can, sales and service cannot.
    out = organisation(version_2, 50, cant_judge=("sales", "service"))
    for dim in LEVELS:
        assert out["dimensions"][dim]["dont_know_share"] >= 0.3
        visible = [a for a in out["recommendations"] if a["id"] == f"{dim}-rec-make-visible"]
        assert [advice["horizon"] for advice in visible] == ["now"]


def test_departments_far_apart_are_brought_together_to_agree_one_answer(
    version_2: Questionnaire,
) -> None:
    apart = organisation(version_2, 50, departments={"marketing": 75, "service": 25})
    alike = organisation(version_2, 50)
    for dim in LEVELS:
        assert f"{dim}-rec-one-answer" in chosen(apart, dim)
        assert f"{dim}-rec-one-answer" not in chosen(alike, dim)


def test_every_recommendation_says_who_acts_what_to_start_and_how_success_shows(
    version_2: Questionnaire,
) -> None:
    for dim in version_2.dimensions:
        assert len(dim.recommendations) >= 8, dim.id
        for rec in dim.recommendations:
            assert (rec.id or "").startswith(f"{dim.id}-rec-"), rec.id
            for text in (rec.title, rec.text, rec.first_step, rec.owner, rec.measure):
                assert set(text or {}) == {"de", "en"}, rec.id
