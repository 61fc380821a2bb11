"""Answers in words: an option by its label, yes and no, not applicable and can't judge
in the glossary's words, a scale point by its number; a question by its label or text."""

from __future__ import annotations

from assess.domain.answer_words import answer_label, answers_text, question_label
from tests.factories import boolean_item, choice_item, dimension, make_questionnaire, scale_item


def items() -> list:
    owner = choice_item("owner", {"cx-lead": 100, "nobody": 0})
    owner["options"][0]["label"] = {"de": "Eine CX-Leitung", "en": "A CX lead"}
    owner["label"] = {"de": "CX-Verantwortung", "en": "CX responsibility"}
    questionnaire = make_questionnaire(
        dimension(
            "d1",
            scale_item("s", text={"de": "Wir hören zu.", "en": "We listen."}),
            owner,
            boolean_item("b", allow_dont_know=True),
        )
    )
    return questionnaire.dimensions[0].items


def test_each_answer_reads_in_the_languages_words() -> None:
    scale, choice, yes_no = items()
    assert answer_label(choice, "cx-lead", "de") == "Eine CX-Leitung"
    assert answer_label(choice, "cx-lead", "en") == "A CX lead"
    assert [answer_label(yes_no, v, "de") for v in ("yes", "no", "dk", "na")] == [
        "Ja",
        "Nein",
        "Kann ich nicht beurteilen",
        "Nicht anwendbar",
    ]
    assert [answer_label(yes_no, v, "en") for v in ("yes", "no", "dk", "na")] == [
        "Yes",
        "No",
        "Can't judge",
        "Not applicable",
    ]
    assert answer_label(scale, "4", "de") == "4"


def test_counts_follow_each_answer_in_the_order_given() -> None:
    _, _, yes_no = items()
    counts = {"yes": 1234, "no": 6, "na": 1}
    assert answers_text(yes_no, counts, "de") == "Ja: 1234 · Nein: 6 · Nicht anwendbar: 1"
    dotted = answers_text(yes_no, counts, "de", lambda n: f"{n:,}".replace(",", "."), between=" ")
    assert dotted == "Ja 1.234 · Nein 6 · Nicht anwendbar 1"


def test_a_question_is_named_by_its_label_else_its_text_without_full_stop() -> None:
    scale, choice, _ = items()
    assert question_label(choice, "de") == "CX-Verantwortung"
    assert question_label(scale, "en") == "We listen"
