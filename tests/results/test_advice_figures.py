"""Advice from stored responses: the lead's answer to a lead item, the assessment's
targets and the organisation's saved profile reach the figures, and a divergence
condition sees only the groups the result shows."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from assess.domain.scoring import score_assessment
from assess.persistence.models.assessments import Assessment, AssessmentStatus
from assess.persistence.models.common import utcnow
from assess.persistence.models.responses import ScoreSnapshot
from assess.results.assessments import figures_of
from assess.results.reports import report_facts
from assess.results.service import scored
from assess.results.snapshots import snapshot_result
from tests.factories import boolean_item, dimension, questionnaire_data, scale_item, text
from tests.results.stored import stored_with_advice

BENCHMARK_K = 5


def advice_data() -> dict[str, Any]:
    """One level with a scale item and a fact asked of the lead, recommendations on the
    fact, on divergence and on the organisation's size."""
    level = dimension(
        "d1",
        scale_item("i1"),
        boolean_item("fact", informant="lead"),
        recommendations=[
            {"id": "rec-fact", "when": {"items": {"fact": {"below": 50}}}, "text": text()},
            {"id": "rec-align", "when": {"divergence": {"at_least": 20}}, "text": text()},
            {"id": "rec-large", "when": {"profile": {"size": ["large"]}}, "text": text()},
        ],
    )
    data = questionnaire_data(level)
    data["profile"].append(
        {
            "id": "size",
            "type": "choice",
            "text": text("Size"),
            "options": [{"value": v, "label": text(v)} for v in ("small", "large")],
        }
    )
    return data


def chosen(output: dict[str, Any]) -> list[str]:
    return [r["id"] for r in output["recommendations"]]


def test_a_lead_item_scores_from_the_leads_answer(session: Session) -> None:
    answers = [
        ("sales", {"i1": 4, "fact": False}, True),
        ("sales", {"i1": 4}, False),
        ("sales", {"i1": 4}, False),
    ]
    assessment = stored_with_advice(session, advice_data(), answers)
    output = scored(figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K), [], [])
    assert output["items"]["fact"] == {"score": 0.0, "n": 1, "dont_know": 0}
    [fact] = [r for r in output["recommendations"] if r["id"] == "rec-fact"]
    assert fact["because"] == [{"condition": "items.fact.below", "bound": 50, "value": 0.0}]


def test_without_a_lead_the_lead_item_has_no_score_and_chooses_nothing(
    session: Session,
) -> None:
    answers = [("sales", {"i1": 4, "fact": False}, False), ("sales", {"i1": 4}, False)] * 2
    assessment = stored_with_advice(session, advice_data(), answers)
    output = scored(figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K), [], [])
    assert output["items"]["fact"]["score"] is None
    assert "rec-fact" not in chosen(output)


def test_the_assessments_targets_set_the_gap(session: Session) -> None:
    answers = [("sales", {"i1": 3}, False)] * 3  # a score of 50: stage three
    assessment = stored_with_advice(session, advice_data(), answers, targets={"d1": "five"})
    output = scored(figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K), [], [])
    level = output["dimensions"]["d1"]
    assert (level["target"], level["gap"], level["rank"]) == ("five", 30.0, 1)
    untargeted = stored_with_advice(session, advice_data(), answers)
    figures = figures_of(session, untargeted, live=True, benchmark_k=BENCHMARK_K)
    assert scored(figures, [], [])["dimensions"]["d1"]["target"] == "four"


def test_profile_conditions_use_the_organisations_saved_size(session: Session) -> None:
    answers = [("sales", {"i1": 3}, False)] * 3
    large = stored_with_advice(session, advice_data(), answers, size="large")
    small = stored_with_advice(session, advice_data(), answers, size="small")
    unknown = stored_with_advice(session, advice_data(), answers)
    for assessment, expected in ((large, True), (small, False), (unknown, False)):
        figures = figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K)
        assert ("rec-large" in chosen(scored(figures, [], []))) is expected


def test_a_divergence_condition_sees_only_the_groups_shown(session: Session) -> None:
    answers = [("sales", {"i1": 5}, False)] * 3 + [("it", {"i1": 1}, False)]
    assessment = stored_with_advice(session, advice_data(), answers)
    figures = figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K)
    every_group = score_assessment(figures.questionnaire, figures.responses, ["department"])
    assert "rec-align" in [r.id for r in every_group.recommendations]
    output = scored(figures, ["department"], [])
    assert "it" not in output["groups"]["department"]
    assert "rec-align" not in chosen(output)


def test_the_report_gets_the_targets_and_the_leads_answer(session: Session) -> None:
    answers = [("sales", {"i1": 3, "fact": True}, True)] + [("sales", {"i1": 3}, False)] * 2
    assessment = stored_with_advice(session, advice_data(), answers, targets={"d1": "five"})
    figures = figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K)
    result = report_facts(session, assessment, benchmark_k=BENCHMARK_K, figures=figures)
    assert result.scores.result.standing["d1"].target == "five"
    assert result.scores.result.items["fact"].score == 100.0


def test_a_snapshot_keeps_the_advice_and_an_older_one_without_it_still_reads(
    session: Session,
) -> None:
    answers = [("sales", {"i1": 3, "fact": True}, True)] + [("sales", {"i1": 3}, False)] * 2
    assessment = stored_with_advice(session, advice_data(), answers, targets={"d1": "five"})
    kept = snapshot_result(session, assessment, k=BENCHMARK_K)
    assert kept["dimensions"]["d1"]["target"] == "five"
    assert kept["items"]["fact"]["score"] == 100.0
    earlier = Assessment(
        organisation_id=assessment.organisation_id,
        questionnaire_version_id=assessment.questionnaire_version_id,
        name="before",
        wave="2025",
        status=AssessmentStatus.closed,
        closed_at=utcnow(),
    )
    session.add(earlier)
    old_shape = {"overall": {"score": 40.0, "stage": "three"}, "respondents": 3}
    old_shape["dimensions"] = {"d1": {"score": 40.0, "stage": "three", "n": 3}}
    session.add(ScoreSnapshot(assessment_id=earlier.id, result=old_shape))
    session.commit()
    figures = figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K)
    facts = report_facts(session, assessment, benchmark_k=BENCHMARK_K, figures=figures)
    assert (facts.previous, facts.previous_label) == ({"d1": 40.0}, "2025")
