"""CWE-202 Exposure of sensitive information through data queries (differencing), on a
consensus workshop's agenda: whoever sees it on the wall, or in the report, sets the
groups' figures of one item against everyone's, against the agenda of another grouping,
or against the agenda before one more response came. Nothing they can work out may
describe fewer than k respondents."""

from __future__ import annotations

import random
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from assess.domain.answers import NA, Response
from assess.domain.grouping import profile_disclosure
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import item_score
from assess.domain.validation import parse_questionnaire
from assess.domain.workshop import Agenda, agenda_of
from assess.persistence.models.assessments import Assessment
from assess.results.reports import report_facts
from tests.adversarial.departments import K, organisation_with_member, questionnaire_yaml, submit
from tests.conftest import Caller
from tests.differencing import Attacker

QUESTIONNAIRE = parse_questionnaire(questionnaire_yaml("agenda-attack", (3, 2)))


def drawn(seed: int, size: int) -> list[Response]:
    """Respondents with a department and a tenure (or none), some of whom say an item
    does not fit their work."""
    rng = random.Random(seed)
    responses = []
    for n in range(size):
        profile = {q: rng.choice(values) for q, values in (("department", "abc"), ("tenure", "ab"))}
        profile = {q: v for q, v in profile.items() if rng.random() > 0.1}
        answers = {i: NA if rng.random() < 0.25 else float(rng.randint(1, 5)) for i in ("i1", "i2")}
        responses.append(Response(f"p{n:02d}", answers, profile))
    return responses


def seen_of_item(
    questionnaire: Questionnaire, responses: list[Response], agendas: list[Agenda], item: str
) -> Attacker:
    """What the agendas show of one item's scores, as sets of respondents: everyone who gave
    it a score (the results' item figure) and each group shown for it."""
    definition = questionnaire.item(item)
    assert definition is not None
    scored = {
        r.respondent
        for r in responses
        if item_score(questionnaire, definition, r.answers.get(item)) is not None
    }
    attacker = Attacker()
    attacker.saw(scored)
    for agenda in agendas:
        for entry in agenda.items:
            if entry.item.id != item:
                continue
            for group in entry.groups:
                members = {
                    r.respondent
                    for r in responses
                    if str(r.profile.get(agenda.question or "")) == group.group
                }
                attacker.saw(members & scored)
                assert group.n == len(members & scored) >= K
    return attacker


@pytest.mark.parametrize("seed", range(12))
def test_two_groupings_set_against_everyone_reveal_no_one_s_item_scores(seed: int) -> None:
    responses = drawn(seed, 9 + seed % 6)
    verdicts = profile_disclosure(QUESTIONNAIRE, responses, K)
    agendas = [agenda_of(QUESTIONNAIRE, responses, verdicts, q) for q in ("department", "tenure")]
    for item in ("i1", "i2"):
        attacker = seen_of_item(QUESTIONNAIRE, responses, agendas, item)
        assert attacker.isolated(K) is None, (seed, item)


@pytest.mark.parametrize("seed", range(6))
def test_the_groups_of_an_agenda_are_those_the_results_show(seed: int) -> None:
    responses = drawn(seed, 11)
    verdicts = profile_disclosure(QUESTIONNAIRE, responses, K)
    agenda = agenda_of(QUESTIONNAIRE, responses, verdicts, "department")
    shown = {v for q, v in verdicts.shown_groups() if q == "department"}
    assert set(agenda.shown) == shown
    assert set(agenda.hidden) == {"a", "b", "c"} - shown
    for entry in agenda.items:
        assert {g.group for g in entry.groups} <= shown


@pytest.mark.slow
def test_the_report_s_agenda_is_the_same_before_and_after_one_more_response(
    client: TestClient, session: Session, admin: Caller
) -> None:
    """A report shows the latest release: one more response changes nothing in it, so the
    two agendas set against each other give nobody's answers."""
    org = organisation_with_member(client, session, admin, "agenda-release", (2,))
    header = "respondent,department,i1,i2"
    submit(client, org, header, "a,5,5", "a,4,4", "a,5,3", "b,1,2", "b,2,1", "b,1,1")
    assessment = session.get(Assessment, uuid.UUID(org.assessment))
    assert assessment is not None
    before = report_facts(session, assessment, benchmark_k=5).scores.agenda
    assert before is not None
    assert [i.item.id for i in before.items] == ["i1", "i2"]
    submit(client, org, header, "a,1,1")
    session.expire_all()
    after = report_facts(session, assessment, benchmark_k=5).scores.agenda
    assert after == before
