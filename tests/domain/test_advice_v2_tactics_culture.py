"""Version 2's advice on the levels tactics and culture: every stage gets a short plan,
no organisation is told to start what its lead says exists, "can't judge" and
divergence choose their own first steps, and Mittelstand and Konzern get their own."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assess.domain.questionnaire import Questionnaire, Quote
from assess.domain.scoring import score_answers
from assess.domain.validation import load_questionnaire

VERSION_2 = Path(__file__).parent.parent.parent / "questionnaires" / "cx-maturity-v2.yaml"
LEVELS = ("tactics", "culture")
MITTELSTAND, KONZERN = "50-249", "5000-plus"
DEPARTMENTS = ("marketing", "sales", "service")

# The lead's facts at each agreement 1..5: what an organisation at that level reports.
MEASURED = {1: "never", 2: "irregular", 3: "yearly", 4: "quarterly", 5: "continuous"}
FACTS = {
    agreement: {
        "tactics-nps": measured,
        "culture-employee-goals": "yes" if agreement >= 4 else "no",
        "culture-customer-ideas": "yes" if agreement >= 4 else "no",
    }
    for agreement, measured in MEASURED.items()
}
OTHER_FACTS = {
    "strategy-board-kpis": "quarterly",
    "strategy-anchoring": "cx-unit",
    "orchestration-inventory": "two-years",
    "orchestration-cx-role": "cx-manager",
}


@pytest.fixture(scope="module")
def version_2() -> Questionnaire:
    questionnaire = load_questionnaire(VERSION_2)
    advised = {d.id for d in questionnaire.dimensions if d.recommendations}
    if not advised.issuperset(LEVELS):
        pytest.skip("the recommendations of tactics and culture are not in version 2 yet")
    return questionnaire


def answers(
    questionnaire: Questionnaire,
    agreement: int,
    *,
    size: str = MITTELSTAND,
    wobble: int = 0,
    facts: dict[str, str] | None = None,
    by_department: dict[str, int] | None = None,
    cant_judge: tuple[str, ...] = (),
) -> bytes:
    """An answers file: three departments and a lead from management. Every statement
    gets `agreement` (a department may have its own), turned round for reversed ones;
    `wobble` moves every other statement up and the others down by that much."""
    lead_facts = {**OTHER_FACTS, **FACTS[agreement], **(facts or {})}
    rows = []
    for number, department in enumerate((*DEPARTMENTS, "management"), start=1):
        own = (by_department or {}).get(department, agreement)
        row: dict[str, object] = {"respondent": f"r{number}", "department": department}
        row |= {"lead": "yes" if department == "management" else "", "size": ""}
        for position, (_, item) in enumerate(questionnaire.items()):
            if item.informant == "lead":
                row[item.id] = lead_facts[item.id] if department == "management" else ""
            elif department in cant_judge and item.allow_dont_know:
                row[item.id] = "dk"
            elif item.type == "scale":
                value = min(5, max(1, own + (wobble if position % 2 else -wobble)))
                row[item.id] = 6 - value if item.reverse else value
        rows.append(row)
    rows[-1]["size"] = size
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[-1]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def chosen(questionnaire: Questionnaire, raw: bytes) -> dict[str, list[str]]:
    """The recommendation ids chosen for each of the two levels, in roadmap order."""
    result = score_answers(raw, questionnaire, kind="csv")
    return {
        level: [a.id or "" for a in result.recommendations if a.dimension == level]
        for level in LEVELS
    }


def stages(questionnaire: Questionnaire, raw: bytes) -> dict[str, str | None]:
    result = score_answers(raw, questionnaire, kind="csv")
    return {level: result.total.dimensions[level].stage for level in LEVELS}


@pytest.mark.parametrize("size", [MITTELSTAND, KONZERN])
@pytest.mark.parametrize("wobble", [0, 1])
@pytest.mark.parametrize("agreement", [1, 2, 3, 4, 5])
def test_an_organisation_at_any_stage_gets_two_to_five_steps_on_each_level(
    version_2: Questionnaire, agreement: int, wobble: int, size: str
) -> None:
    found = chosen(version_2, answers(version_2, agreement, wobble=wobble, size=size))
    assert all(2 <= len(ids) <= 5 for ids in found.values()), found


def test_the_examples_above_reach_every_stage(version_2: Questionnaire) -> None:
    reached = {
        stage
        for agreement in range(1, 6)
        for wobble in (0, 1)
        for stage in stages(version_2, answers(version_2, agreement, wobble=wobble)).values()
    }
    assert reached == {stage.id for stage in version_2.stages}


def test_below_the_top_every_level_keeps_one_step_and_at_the_top_another(
    version_2: Questionnaire,
) -> None:
    low = chosen(version_2, answers(version_2, 2))
    high = chosen(version_2, answers(version_2, 5))
    assert "tactics-rec-pain-point-round" in low["tactics"]
    assert "culture-rec-swap-sides" in low["culture"]
    assert {"tactics-rec-expectation-plus-x", "tactics-rec-keep-listening"} <= set(high["tactics"])
    assert "culture-rec-pass-on-passion" in high["culture"]
    assert "tactics-rec-pain-point-round" not in high["tactics"]


def test_no_one_is_told_to_start_measuring_what_the_lead_says_is_measured(
    version_2: Questionnaire,
) -> None:
    measured = chosen(version_2, answers(version_2, 2, facts={"tactics-nps": "quarterly"}))
    unmeasured = chosen(version_2, answers(version_2, 2, facts={"tactics-nps": "never"}))
    assert "tactics-rec-measure-loyalty" not in measured["tactics"]
    assert "tactics-rec-share-the-figure" in measured["tactics"]
    assert "tactics-rec-measure-loyalty" in unmeasured["tactics"]
    assert "tactics-rec-share-the-figure" not in unmeasured["tactics"]


def test_customer_ideas_and_employee_goals_follow_the_leads_facts(
    version_2: Questionnaire,
) -> None:
    with_ideas = chosen(version_2, answers(version_2, 4, facts={"culture-customer-ideas": "yes"}))
    without = chosen(version_2, answers(version_2, 4, facts={"culture-customer-ideas": "no"}))
    assert "culture-rec-innovation-community" in with_ideas["culture"]
    assert "culture-rec-gather-customer-ideas" not in with_ideas["culture"]
    assert "culture-rec-gather-customer-ideas" in without["culture"]
    assert "culture-rec-innovation-community" not in without["culture"]
    goals = chosen(version_2, answers(version_2, 3, facts={"culture-employee-goals": "yes"}))
    no_goals = chosen(version_2, answers(version_2, 3, facts={"culture-employee-goals": "no"}))
    assert "culture-rec-employee-goals" not in goals["culture"]
    assert "culture-rec-goals-together" in goals["culture"]
    assert "culture-rec-employee-goals" in no_goals["culture"]


def test_mittelstand_and_konzern_get_their_own_first_steps_and_owners(
    version_2: Questionnaire,
) -> None:
    small = chosen(version_2, answers(version_2, 1, size=MITTELSTAND))
    large = chosen(version_2, answers(version_2, 1, size=KONZERN))
    pairs = [
        ("tactics-rec-shared-goal-mittelstand", "tactics-rec-shared-goal-konzern"),
        ("culture-rec-allies-mittelstand", "culture-rec-allies-konzern"),
    ]
    advice = {r.id: r for d in version_2.dimensions for r in d.recommendations}
    for mittelstand, konzern in pairs:
        level = mittelstand.split("-")[0]
        assert mittelstand in small[level]
        assert konzern not in small[level]
        assert konzern in large[level]
        assert mittelstand not in large[level]
        assert advice[mittelstand].owner != advice[konzern].owner
        assert advice[mittelstand].first_step != advice[konzern].first_step


def test_cant_judge_makes_the_subject_visible_first(version_2: Questionnaire) -> None:
    raw = answers(version_2, 3, cant_judge=("sales", "service"))
    result = score_answers(raw, version_2, kind="csv")
    assert all((result.answered[level].dont_know_share or 0) >= 0.3 for level in LEVELS)
    found = chosen(version_2, raw)
    assert found["tactics"][0] == "tactics-rec-make-visible"
    assert found["culture"][0] == "culture-rec-make-visible"


def test_departments_far_apart_are_brought_together_first(version_2: Questionnaire) -> None:
    apart = {"marketing": 5, "sales": 3, "service": 1}
    found = chosen(version_2, answers(version_2, 3, by_department=apart))
    assert found["tactics"][0] == "tactics-rec-agree-picture"
    assert found["culture"][0] == "culture-rec-agree-meaning"
    together = chosen(version_2, answers(version_2, 3))
    assert "tactics-rec-agree-picture" not in together["tactics"]


def test_every_step_names_owner_first_step_measure_and_a_quote_in_both_languages(
    version_2: Questionnaire,
) -> None:
    for level in (d for d in version_2.dimensions if d.id in LEVELS):
        assert len(level.recommendations) >= 8
        for advice in level.recommendations:
            texts = (advice.title, advice.text, advice.owner, advice.first_step, advice.measure)
            assert all(t and set(t) == {"de", "en"} for t in texts), advice.id
            assert isinstance(advice.source, Quote), advice.id
