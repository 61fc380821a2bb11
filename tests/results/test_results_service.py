"""The results service on a stored assessment: what it shows, and what it refuses with
its own errors (never an HTTP one)."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.persistence.models.assessments import AssessmentKind
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.questionnaires import questionnaire_of_assessment
from assess.results.assessments import figures_of, respondents_scores
from assess.results.departments import small_departments_of
from assess.results.errors import NoFigures, NotForStudies, NotShown, Refused
from assess.results.peers import peer_benchmarks
from assess.results.releases import members_see
from assess.results.service import k_of, scored, smallest_group
from assess.results.studies import groups_of_study, refuse_unless_assessment
from tests.results.stored import invite, stored_assessment

BENCHMARK_K = 5


def test_study_groups_need_the_benchmark_k_and_an_organisations_need_the_minimum() -> None:
    assert smallest_group(BENCHMARK_K, study=True) == BENCHMARK_K
    assert smallest_group(BENCHMARK_K, study=False) == MIN_GROUP_RESPONDENTS


def test_k_of_a_study_is_the_benchmark_k(session: Session) -> None:
    study = stored_assessment(session, [], AssessmentKind.study)
    assessment = stored_assessment(session, [])
    assert k_of(study, BENCHMARK_K) == BENCHMARK_K
    assert k_of(assessment, BENCHMARK_K) == MIN_GROUP_RESPONDENTS


def test_respondents_scores_are_refused_for_a_study(session: Session) -> None:
    study = stored_assessment(session, ["sales"] * 6, AssessmentKind.study)
    with pytest.raises(NotForStudies, match="single respondents' scores"):
        respondents_scores(session, study)


def test_respondents_scores_give_one_row_per_submitted_response(session: Session) -> None:
    assessment = stored_assessment(session, ["sales", "sales", "it"])
    scores = respondents_scores(session, assessment)
    assert len(scores) == 3
    assert sorted(s.respondent for s in scores) == ["p00", "p01", "p02"]


def test_invitations_are_refused_for_a_study_only(session: Session) -> None:
    study = stored_assessment(session, [], AssessmentKind.study)
    with pytest.raises(NotForStudies, match="it has no invitations"):
        refuse_unless_assessment(study, "invitations")
    refuse_unless_assessment(stored_assessment(session, []), "invitations")


def test_nothing_is_shown_before_k_responses(session: Session) -> None:
    assessment = stored_assessment(session, ["sales", "sales"])
    figures = figures_of(session, assessment, live=False, benchmark_k=BENCHMARK_K)
    with pytest.raises(NotShown, match="from 3 submitted responses on"):
        scored(figures, None, [])


def test_a_filter_describing_fewer_than_k_respondents_is_refused(session: Session) -> None:
    assessment = stored_assessment(session, ["sales"] * 3 + ["service"] * 3 + ["it"])
    figures = figures_of(session, assessment, live=False, benchmark_k=BENCHMARK_K)
    assert scored(figures, [], ["department:sales"])["respondents"] == 3
    with pytest.raises(Refused, match="filter 'department:it' is not shown"):
        scored(figures, [], ["department:it"])


def test_a_grouping_leaves_out_a_group_of_fewer_than_k_and_one_that_gives_it_away(
    session: Session,
) -> None:
    assessment = stored_assessment(session, ["sales"] * 3 + ["service"] * 3 + ["it"])
    figures = figures_of(session, assessment, live=False, benchmark_k=BENCHMARK_K)
    output = scored(figures, ["department"], [])
    # With the total shown, showing both others would let anyone work out the one.
    assert set(output["groups"]["department"]) == {"sales"}
    assert {"service", "it"} <= set(output["hidden_groups"]["department"])


def test_a_study_refuses_a_grouping_by_an_unknown_question(session: Session) -> None:
    study = stored_assessment(session, ["sales"] * BENCHMARK_K, AssessmentKind.study)
    figures = figures_of(session, study, live=True, benchmark_k=BENCHMARK_K)
    assert not figures.live  # a study never shows single respondents, live or not
    with pytest.raises(Refused):
        scored(figures, ["tenure"], [])


def test_members_see_the_latest_release_only_once_it_is_made(session: Session) -> None:
    assessment = stored_assessment(session, ["sales"] * 3)
    assert members_see(session, assessment.id) is None
    figures_of(session, assessment, live=False, benchmark_k=BENCHMARK_K)  # makes the first
    assert members_see(session, assessment.id) == 3


def test_peer_benchmarks_refuse_an_unknown_score(session: Session) -> None:
    assessment = stored_assessment(session, [])
    row = session.get_one(QuestionnaireVersion, assessment.questionnaire_version_id)
    with pytest.raises(Refused, match="score 'nope': use one of overall, d1"):
        peer_benchmarks(session, row, BENCHMARK_K, score="nope")
    with pytest.raises(Refused, match="name the kind of group too"):
        peer_benchmarks(session, row, BENCHMARK_K, value=["retail"])


def test_peer_benchmarks_without_organisations_show_no_figures(session: Session) -> None:
    assessment = stored_assessment(session, [])
    row = session.get_one(QuestionnaireVersion, assessment.questionnaire_version_id)
    assert questionnaire_of_assessment(session, assessment=assessment).id == row.questionnaire_id
    with pytest.raises(NoFigures, match=f"at least {BENCHMARK_K} organisations"):
        peer_benchmarks(session, row, BENCHMARK_K)


def test_a_department_with_fewer_invitees_than_k_is_small(session: Session) -> None:
    assessment = stored_assessment(session, [])
    invite(session, assessment, "sales", "sales", "sales", "it")
    questionnaire = questionnaire_of_assessment(session, assessment=assessment)
    k, small = small_departments_of(session, assessment, questionnaire, BENCHMARK_K, "en")
    assert k == MIN_GROUP_RESPONDENTS
    assert [(s.value, s.invited, s.partner) for s in small] == [("it", 1, "sales")]


def test_a_study_has_no_small_departments(session: Session) -> None:
    study = stored_assessment(session, [], AssessmentKind.study)
    questionnaire = questionnaire_of_assessment(session, assessment=study)
    assert small_departments_of(session, study, questionnaire, BENCHMARK_K, "en") == (
        BENCHMARK_K,
        [],
    )


def test_live_figures_without_responses_show_nothing(session: Session) -> None:
    assessment = stored_assessment(session, [])
    figures = figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K)
    assert figures.live
    assert not figures.shown
    assessment = stored_assessment(session, ["sales", "it"])
    assert figures_of(session, assessment, live=True, benchmark_k=BENCHMARK_K).shown


def test_a_study_lists_every_possible_group_and_suppresses_the_small(session: Session) -> None:
    departments = ["sales"] * BENCHMARK_K + ["service"] * BENCHMARK_K + ["it"]
    study = stored_assessment(session, departments, AssessmentKind.study)
    figures = figures_of(session, study, live=False, benchmark_k=BENCHMARK_K)
    groups = groups_of_study(figures)["department"]
    assert list(groups) == ["sales", "service", "it"]
    assert groups["it"]["suppressed"] is True
    assert not groups["sales"].get("suppressed")
