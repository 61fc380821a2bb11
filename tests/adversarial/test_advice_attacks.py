"""A member probes the figures of advice (item scores, importance, `because`, the lead's
facts) for one respondent's answers: each attack is run on what members see (the latest
release) and shows what it learns; one left open is marked as such."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import yaml
from sqlmodel import Session

from assess.domain.export import ATTRIBUTES, StoredRow, export_columns, export_rows
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.models.responses import Response, ResponseStatus
from assess.persistence.repository.assessments import create_assessment
from assess.persistence.repository.questionnaires import publish_questionnaire
from assess.results.assessments import figures_of
from assess.results.errors import Refused
from assess.results.reports import report_facts, scores_of
from assess.results.service import scored
from tests.factories import (
    boolean_item,
    choice_question,
    dimension,
    importance_scale,
    make_questionnaire,
    questionnaire_data,
    recommendation,
    scale_item,
)
from tests.results.stored import stored_with_advice

BENCHMARK_K = 5
K = 3  # within an organisation


def advice_data() -> dict[str, Any]:
    """Two levels rated for importance; the first with a fact asked of the lead and an
    item that allows "can't judge", each with a recommendation on its score, and one on
    the departments' divergence."""
    first = dimension(
        "d1",
        scale_item("i1"),
        scale_item("i2", allow_dont_know=True),
        boolean_item("fact", informant="lead"),
        recommendations=[
            recommendation("rec-fact", {"items": {"fact": {"below": 50}}}),
            recommendation("rec-i2", {"items": {"i2": {"below": 50}}}),
            recommendation("rec-align", {"divergence": {"at_least": 20}}),
        ],
    )
    return questionnaire_data(
        first, dimension("d2", scale_item("j1")), importance=importance_scale()
    )


def released(session: Session, assessment: Any) -> Any:
    """What a member sees: the latest release, made now where it may be."""
    return figures_of(session, assessment, live=False, benchmark_k=BENCHMARK_K)


def chosen(output: dict[str, Any]) -> list[str | None]:
    return [r["id"] for r in output["recommendations"]]


def test_a_filter_does_not_tell_whether_the_lead_gave_its_answer(session: Session) -> None:
    # The lead is known to colleagues; their department is their own answer. Filtered
    # without the lead, the fact used to have no score (n 0) and every level a different
    # score from the same department's group: one filter per department named the lead's.
    answers = [("sales", {"i1": 4, "j1": 2, "fact": False}, True)]
    answers += [("sales", {"i1": 2, "j1": 3}, False)] * 2 + [("it", {"i1": 5, "j1": 1}, False)] * 3
    figures = released(session, stored_with_advice(session, advice_data(), answers))
    grouped = scored(figures, ["department"], [])
    for department in ("sales", "it"):
        alone = scored(figures, [], [f"department:{department}"], with_trace=True)
        assert alone["items"]["fact"] == {"score": 0.0, "n": 1, "dont_know": 0}
        assert "rec-fact" in chosen(alone)
        group = grouped["groups"]["department"][department]
        assert alone["dimensions"]["d1"]["score"] == group["dimensions"]["d1"]["score"]
        [fact] = [i for i in alone["explain"]["dimensions"][0]["items"] if i["item_id"] == "fact"]
        assert (fact["answered"], fact["distribution"]) == (3, {"no": 1})


def test_an_item_score_fewer_than_k_gave_is_not_shown_nor_chooses_advice(
    session: Session,
) -> None:
    # One of three gave i2 a score, the others said they cannot judge it: its score, and
    # the advice it chose with its value in `because`, were that one person's answer.
    answers = [("sales", {"i1": 3, "i2": 1, "j1": 3}, False)]
    answers += [("sales", {"i1": 3, "i2": "dk", "j1": 3}, False)] * 2
    assessment = stored_with_advice(session, advice_data(), answers)
    output = scored(released(session, assessment), [], [])
    assert output["items"]["i2"] == {"score": None, "n": 1, "dont_know": 2}
    assert "rec-i2" not in chosen(output)
    report = report_facts(session, assessment, benchmark_k=BENCHMARK_K).scores.result
    assert report.items["i2"].score is None
    assert "rec-i2" not in [r.id for r in report.recommendations]
    live = scored(figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K), [], [])
    assert live["items"]["i2"]["score"] == 0.0  # those who run it see single respondents


def test_an_importance_fewer_than_k_rated_is_not_shown(session: Session) -> None:
    # Only one of three rated d1's importance: its mean was that person's rating.
    rated = {"i1": 3, "i2": 3, "j1": 3, "importance:d1": 5, "importance:d2": 2}
    answers = [("sales", rated, False)]
    answers += [("sales", {"i1": 3, "i2": 3, "j1": 3, "importance:d2": 4}, False)] * 2
    assessment = stored_with_advice(session, advice_data(), answers)
    levels = scored(released(session, assessment), [], [])["dimensions"]
    assert (levels["d1"]["importance_mean"], levels["d1"]["importance_weight"]) == (None, None)
    assert levels["d1"]["priority"] == levels["d1"]["gap"]
    assert levels["d2"]["importance_mean"] == pytest.approx(10 / 3)
    assert levels["d1"]["quadrant"] is None
    report = report_facts(session, assessment, benchmark_k=BENCHMARK_K).scores.result
    assert report.answered["d1"].importance_mean is None


def test_a_withheld_department_chooses_no_advice_in_a_release_or_report(
    session: Session,
) -> None:
    # Blocked already: divergence uses the groups shown; the lone "it" answer is not one.
    answers = [("sales", {"i1": 5, "j1": 3}, False)] * 3 + [("it", {"i1": 1, "j1": 3}, False)]
    assessment = stored_with_advice(session, advice_data(), answers)
    output = scored(released(session, assessment), ["department"], [])
    assert "it" not in output["groups"]["department"]
    assert "rec-align" not in chosen(output)
    report = report_facts(session, assessment, benchmark_k=BENCHMARK_K).scores.result
    assert "rec-align" not in [r.id for r in report.recommendations]


def stored_study(session: Session, sizes: list[str | None]) -> Any:
    """A study with a recommendation for large organisations, one submitted response
    per size given (None: the question skipped)."""
    level = dimension(
        "d1",
        scale_item("i1"),
        recommendations=[recommendation("rec-large", {"profile": {"size": ["large"]}})],
    )
    data = questionnaire_data(level, id=f"q-{uuid.uuid4().hex[:8]}")
    data["profile"].append(choice_question("size", "small", "large"))
    version, _ = publish_questionnaire(
        session, questionnaire_id=data["id"], version=1, source=yaml.safe_dump(data)
    )
    organisation = Organisation(name=f"org-{uuid.uuid4()}")
    session.add(organisation)
    session.commit()
    study = create_assessment(
        session, organisation=organisation, version=version, name="s", kind=AssessmentKind.study
    )
    for number, size in enumerate(sizes):
        session.add(
            Response(
                assessment_id=study.id,
                respondent=f"anonymous-{number:02d}",
                answers={"i1": 3},
                profile={"department": "sales", **({"size": size} if size else {})},
                status=ResponseStatus.submitted,
                submitted_at=utcnow(),
            )
        )
    session.commit()
    return study


def test_a_study_gives_no_advice_for_an_answer_that_one_respondent_gave(
    session: Session,
) -> None:
    # The others skipped the size: "the one answer every respondent who answered gave"
    # was that one person's, in the advice chosen and its `because`.
    study = stored_study(session, ["large", None, None, None, None])
    figures = figures_of(session, study, live=True, benchmark_k=BENCHMARK_K)
    assert "rec-large" not in chosen(scored(figures, [], []))
    page = scores_of(figures).result  # the results page of a study
    assert "rec-large" not in [r.id for r in page.recommendations]
    with pytest.raises(Refused):
        scored(figures, [], ["size:large"])


def test_a_study_filtered_by_size_gets_the_advice_for_that_size(session: Session) -> None:
    study = stored_study(session, ["large"] * BENCHMARK_K + ["small"] * BENCHMARK_K)
    figures = figures_of(session, study, live=True, benchmark_k=BENCHMARK_K)
    large = scored(figures, [], ["size:large"])
    assert large["recommendations"][0]["because"] == [
        {"condition": "profile.size", "bound": ["large"], "value": "large"}
    ]
    assert "rec-large" not in chosen(scored(figures, [], ["size:small"]))


@pytest.mark.xfail(
    strict=True,
    reason="an item's n and score are sums over a release; between two releases the "
    "respondents who gave an item a score may grow by fewer than k (the others new "
    "skipped it or cannot judge it), and n·score then differs by their answers; the "
    "explain distributions and item statistics of releases share this",
)
def test_two_releases_item_scores_differ_by_k_answers_or_none(session: Session) -> None:
    answers = [("sales", {"i1": 3, "i2": 4, "j1": 3}, False)] * K
    assessment = stored_with_advice(session, advice_data(), answers)
    first = scored(released(session, assessment), [], [])["items"]["i2"]
    later = [("sales", {"i1": 3, "i2": 1, "j1": 3}, False)]
    later += [("sales", {"i1": 3, "i2": "dk", "j1": 3}, False)] * (K - 1)
    _add_responses(session, assessment, later)
    second = scored(released(session, assessment), [], [])["items"]["i2"]
    assert (first["n"], second["n"]) == (K, K + 1)  # the attack's premise
    learned = second["n"] * second["score"] - first["n"] * first["score"]
    assert second["n"] - first["n"] >= K, f"one respondent's item score: {learned}"


def _add_responses(session: Session, assessment: Any, answers: list[Any]) -> None:
    for number, (department, given, _) in enumerate(answers):
        session.add(
            Response(
                assessment_id=assessment.id,
                respondent=f"later-{number:02d}",
                answers=given,
                profile={"department": department},
                status=ResponseStatus.submitted,
                submitted_at=utcnow(),
            )
        )
    session.commit()


def test_a_leads_row_apart_shows_no_score_that_gives_its_facts() -> None:
    # A research export sets a lead's row apart from its organisation and withholds its
    # facts; the score of a level with a fact, beside the row's own answer to the other
    # item, gave the fact back (2 x 50 - 100 = 0: "no"), and the facts, lent to every row
    # of its organisation, find the organisation again.
    questionnaire = make_questionnaire(
        dimension("d1", scale_item("i1"), boolean_item("fact", informant="lead")),
        dimension("d2", scale_item("j1")),
    )
    given = {"i1": 5, "fact": False, "j1": 3}
    row = StoredRow("org", "resp", (None,) * len(ATTRIBUTES), given, {}, {}, 0, True, given, True)
    [cells] = export_rows(questionnaire, [row], lead_shown=True)
    shown = dict(zip([c.name for c in export_columns(questionnaire)], cells, strict=True))
    assert (shown["fact"], shown["fact_status"]) == (None, "withheld")
    assert (shown["score_d1"], shown["score_overall"]) == (None, None)
    assert (shown["i1"], shown["score_d2"]) == (5.0, 50.0)
