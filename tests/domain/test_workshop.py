"""A consensus workshop's agenda: per item the shown groups' n, mean item score and
answers, ordered by how far the groups lie apart, within the disclosure rules, and why
there is nothing to discuss when there is not."""

from __future__ import annotations

from typing import Any

import pytest

from assess.domain.answers import DK, NA, Response
from assess.domain.grouping import MIN_GROUP_RESPONDENTS, profile_disclosure
from assess.domain.questionnaire import Questionnaire
from assess.domain.workshop import Agenda, Nothing, agenda_of, workshop_groupings
from assess.domain.workshop_words import discussion, reason_text
from tests.factories import (
    boolean_item,
    choice_item,
    choice_question,
    dimension,
    make_questionnaire,
    scale_item,
)

DEPARTMENT = {
    "id": "department",
    "type": "choice",
    "scope": "respondent",
    "text": {"de": "Abteilung", "en": "Department"},
    "options": [
        {"value": "sales", "label": {"de": "Vertrieb", "en": "Sales"}},
        {"value": "service", "label": {"de": "Service", "en": "Service"}},
        {"value": "it", "label": {"de": "IT", "en": "IT"}},
    ],
}
Q = make_questionnaire(
    dimension(
        "d",
        scale_item("plain", text={"de": "Wir messen CX.", "en": "We measure CX."}),
        scale_item("reversed", reverse=True, allow_dont_know=True),
        choice_item("owner", {"none": 0, "team": 50, "board": 100}),
        boolean_item("yes-no"),
        boolean_item("fact", informant="lead"),
    ),
    profile=[DEPARTMENT, choice_question("tenure", "short", "long", scope="respondent")],
)


def respond(department: str | None, tenure: str | None = None, **answers: Any) -> Response:
    profile = {k: v for k, v in (("department", department), ("tenure", tenure)) if v}
    return Response(f"r{id(answers)}", answers, profile)


def agenda(
    responses: list[Response],
    question: str | None = "department",
    questionnaire: Questionnaire = Q,
    length: int = 10,
) -> Agenda:
    numbered = [
        Response(f"r{n}", r.answers, r.profile, lead=r.lead) for n, r in enumerate(responses)
    ]
    verdicts = profile_disclosure(questionnaire, numbered, MIN_GROUP_RESPONDENTS)
    return agenda_of(questionnaire, numbered, verdicts, question, length=length)


def item(found: Agenda, item_id: str) -> Any:
    return next(i for i in found.items if i.item.id == item_id)


def test_groups_mean_item_scores_and_answer_counts_are_computed_per_group() -> None:
    found = agenda(
        [
            *[respond("sales", plain=v) for v in (5.0, 4.0, 4.0)],
            *[respond("service", plain=v) for v in (1.0, 2.0, NA, 2.0)],
        ]
    )
    plain = item(found, "plain")
    sales, service = plain.groups
    assert (sales.group, sales.n, sales.mean) == ("sales", 3, pytest.approx(250 / 3))
    assert (service.group, service.n, service.mean) == ("service", 3, pytest.approx(50 / 3))
    assert sales.distribution == {"1": 0, "2": 0, "3": 0, "4": 2, "5": 1, "na": 0}
    assert service.distribution == {"1": 1, "2": 2, "3": 0, "4": 0, "5": 0, "na": 1}
    assert plain.distance == pytest.approx(200 / 3)
    assert (plain.highest.group, plain.lowest.group) == ("sales", "service")
    assert found.shown == ("sales", "service")
    assert found.hidden == ("it",)  # nobody is in it: listed like a small group


def test_items_are_ordered_by_distance_and_ties_keep_the_file_order() -> None:
    found = agenda(
        [respond("sales", plain=5.0, reversed=5.0, owner="team") for _ in range(3)]
        + [respond("service", plain=1.0, reversed=1.0, owner="none") for _ in range(3)]
    )
    assert [(i.item.id, i.distance) for i in found.items] == [
        ("plain", 100.0),
        ("reversed", 100.0),
        ("owner", 50.0),
    ]
    assert found.differing == 3


def test_the_length_asked_for_cuts_the_list_but_not_the_count() -> None:
    responses = [respond("sales", plain=5.0, owner="team") for _ in range(3)]
    responses += [respond("service", plain=1.0, owner="none") for _ in range(3)]
    found = agenda(responses, length=1)
    assert [i.item.id for i in found.items] == ["plain"]
    assert found.differing == 2


def test_a_reversed_statement_scores_agreement_low_and_the_question_says_who_agrees() -> None:
    found = agenda(
        [respond("sales", reversed=5.0) for _ in range(3)]
        + [respond("service", reversed=2.0) for _ in range(3)]
    )
    reversed_item = item(found, "reversed")
    assert reversed_item.highest.group == "service"
    assert (reversed_item.highest.mean, reversed_item.lowest.mean) == (75.0, 0.0)
    assert reversed_item.groups[0].distribution == {
        "1": 0, "2": 0, "3": 0, "4": 0, "5": 3, "na": 0, "dk": 0
    }  # fmt: skip
    # sales answers 5: it agrees more, though its score is the lowest
    assert discussion(Q, "department", reversed_item, "de").startswith(
        "Vertrieb stimmt der Aussage „reversed“ viel eher zu als Service."
    )
    assert discussion(Q, "department", reversed_item, "en").startswith(
        "Sales agrees with “reversed” much more than Service."
    )


def test_the_question_for_a_statement_names_the_statement_and_both_groups() -> None:
    found = agenda(
        [respond("sales", plain=4.0) for _ in range(3)]
        + [respond("service", plain=v) for v in (4.0, 3.0, 3.0)]
    )  # 16.7 points apart: below the divergence threshold, so not "much"
    assert discussion(Q, "department", item(found, "plain"), "de") == (
        "Vertrieb stimmt der Aussage „Wir messen CX“ eher zu als Service. Woran macht jede "
        "Seite ihre Antwort fest, und welche Antwort gilt für Ihr Unternehmen?"
    )
    assert discussion(Q, "department", item(found, "plain"), "en") == (
        "Sales agrees with “We measure CX” more than Service. What does each side base its "
        "answer on, and which answer holds for your organisation?"
    )


def test_questions_name_answers_by_their_labels_and_yes_as_a_share() -> None:
    found = agenda(
        [respond("sales", owner="board", **{"yes-no": True}) for _ in range(3)]
        + [respond("service", owner="none", **{"yes-no": v}) for v in (True, False, False)]
    )
    owner, yes_no = item(found, "owner"), item(found, "yes-no")
    assert owner.groups[1].distribution == {"none": 3, "team": 0, "board": 0, "na": 0}
    assert "antworten die Befragten aus der Abteilung Vertrieb am häufigsten „board“, die " in (
        discussion(Q, "department", owner, "de")
    )
    assert yes_no.lowest.mean == pytest.approx(100 / 3)
    assert discussion(Q, "department", yes_no, "de").startswith(
        "Auf die Frage „yes-no“ antworten 100 % der Befragten aus der Abteilung Vertrieb mit "
        "„Ja“, aber nur 33 % der Befragten aus der Abteilung Service."
    )
    assert "100% of respondents in Sales answer “Yes”, but only 33% in Service" in (
        discussion(Q, "department", yes_no, "en")
    )


def test_a_question_both_groups_answer_alike_most_often_names_the_item_scores() -> None:
    found = agenda(
        [respond("sales", owner=v) for v in ("board", "board", "team")]
        + [respond("service", owner=v) for v in ("board", "board", "none")]
    )
    text = discussion(Q, "department", item(found, "owner"), "en")
    assert (
        "most often answer “board”; on average, though, their answers score 83.3 against 66.7"
        in text
    )


def test_lead_items_have_one_answer_and_never_enter_the_agenda() -> None:
    responses = [respond("sales", fact=True) for _ in range(3)]
    responses += [respond("service", fact=False) for _ in range(3)]
    found = agenda(responses)
    assert (found.items, found.reason) == ((), Nothing.no_two_groups)


def test_a_group_fewer_of_whom_gave_an_item_a_score_is_not_shown_for_it() -> None:
    found = agenda(
        [respond("sales", plain=5.0, owner="board") for _ in range(2)]
        + [respond("sales", plain=NA, owner="board")]
        + [respond("service", plain=1.0, owner="none") for _ in range(3)]
        + [respond("it", plain=3.0, owner="team") for _ in range(3)]
        + [respond(None, plain=2.0, owner="team") for _ in range(3)]
    )  # without the three of no department, everyone less service and it would be sales' two
    plain = item(found, "plain")
    assert [g.group for g in plain.groups] == ["service", "it"]
    assert plain.hidden == ("sales",)
    assert [g.group for g in item(found, "owner").groups] == ["sales", "service", "it"]


def test_a_group_that_would_reveal_the_scores_of_fewer_than_three_is_not_shown() -> None:
    # Three respondents without a department; two of them say "not applicable": everyone's
    # scores minus sales' and service's would be the third's alone.
    found = agenda(
        [respond("sales", plain=5.0, owner="board") for _ in range(3)]
        + [respond("service", plain=1.0, owner="none") for _ in range(3)]
        + [respond(None, plain=3.0, owner="team")]
        + [respond(None, plain=NA, owner="team") for _ in range(2)]
    )
    assert [i.item.id for i in found.items] == ["owner"]


def test_groups_the_disclosure_rule_hides_are_hidden_on_the_agenda_too() -> None:
    found = agenda(
        [respond("sales", plain=5.0) for _ in range(3)]
        + [respond("service", plain=1.0) for _ in range(3)]
        + [respond("it", plain=3.0) for _ in range(2)]
    )
    # it (2) is hidden, and so is one of the others: the total less it would give it
    assert found.shown == ("sales",)
    assert found.hidden == ("service", "it")
    assert found.reason == Nothing.no_two_groups


def test_can_t_judge_and_not_applicable_are_counted_apart_and_score_nothing() -> None:
    found = agenda(
        [respond("sales", reversed=v) for v in (1.0, 1.0, 1.0, DK)]
        + [respond("service", reversed=v) for v in (5.0, 5.0, 5.0, NA)]
    )
    sales, service = item(found, "reversed").groups
    assert (sales.n, sales.distribution["dk"], sales.distribution["na"]) == (3, 1, 0)
    assert (service.n, service.distribution["dk"], service.distribution["na"]) == (3, 0, 1)


def test_another_respondent_question_groups_the_agenda_when_asked() -> None:
    found = agenda(
        [respond("sales", "short", plain=5.0) for _ in range(3)]
        + [respond("sales", "long", plain=1.0) for _ in range(3)],
        question="tenure",
    )
    assert [g.group for g in item(found, "plain").groups] == ["short", "long"]
    assert discussion(Q, "tenure", item(found, "plain"), "de").startswith(
        "Die Gruppe „short“ stimmt der Aussage „Wir messen CX“ viel eher zu als die Gruppe „long“."
    )
    assert workshop_groupings(Q) == ["department", "tenure"]


@pytest.mark.parametrize(
    ("responses", "question", "reason"),
    [
        ([], "department", Nothing.no_responses),
        ([respond("sales", plain=5.0)], "department", Nothing.one_respondent),
        ([respond("sales", plain=5.0) for _ in range(4)], None, Nothing.no_grouping),
        ([respond("sales", plain=5.0), respond("service", plain=1.0)], "department",
         Nothing.no_group_shown),
        ([respond("sales", plain=5.0) for _ in range(3)]
         + [respond("service", plain=NA) for _ in range(3)], "department", Nothing.no_two_groups),
        ([respond("sales", plain=4.0) for _ in range(3)]
         + [respond("service", plain=4.0) for _ in range(3)], "department", Nothing.no_difference),
    ],
)  # fmt: skip
def test_an_agenda_with_nothing_to_discuss_says_why(
    responses: list[Response], question: str | None, reason: Nothing
) -> None:
    found = agenda(responses, question)
    assert found.items == ()
    assert found.reason == reason
    assert reason_text(reason, 3, "de") != reason_text(reason, 3, "en")


def test_a_questionnaire_without_a_department_question_has_no_grouping() -> None:
    bare = make_questionnaire(dimension("d", scale_item("plain")), profile=[])
    found = agenda([Response(f"r{n}", {"plain": 3.0}) for n in range(4)], None, bare)
    assert found.reason == Nothing.no_grouping
    assert "fragt nicht nach der Abteilung" in reason_text(Nothing.no_grouping, 3, "de")
    assert "groups of 3 respondents or more" in reason_text(Nothing.no_group_shown, 3, "en")
