"""Templates and addresses: checked before they are stored, filled in so that no value
can break out of its place."""

from __future__ import annotations

import pytest

from assess import address_problem
from assess.mail.content.defaults import DEFAULTS
from assess.mail.content.kinds import MailKind
from assess.mail.content.texts import MailText, fill, mail_language, text_problems

VALUES = {
    "link": "https://assess.example.org/r/T?lang=de",
    "assessment": "Kundenblick",
    "organisation": "Muster GmbH",
    "closes": "",
    "respondent": "Anna",
}


def test_shipped_templates_exist_for_both_kinds_and_languages_and_pass_their_own_check() -> None:
    assert set(DEFAULTS) == {(k, lang) for k in MailKind for lang in ("de", "en")}
    for text in DEFAULTS.values():
        assert text_problems(text) == []


def test_unknown_placeholders_and_a_missing_link_are_named() -> None:
    problems = [str(p) for p in text_problems(MailText("Hallo {name}", "Hi {vorname} {x}."))]
    assert problems[0].startswith(
        "the subject has an unknown placeholder {name}; use {link}, {assessment}, "
    )
    assert problems[1].startswith("the body has an unknown placeholder {vorname}, {x}; use")
    assert problems[2] == (
        "the body has no {link}: without it respondents cannot open the questionnaire"
    )


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("Hi {", "{link}", "the subject has a brace that is not closed"),
        ("Hi", "{link!r}", "writes {link} with a format or conversion"),
        ("Hi", "{link:>40}", "writes {link} with a format or conversion"),
        ("Hi", "{link.real}", "unknown placeholder {link.real}"),
        ("Hi", "{0} {link}", "unknown placeholder {0}"),
        ("Hi\r\nBcc: x@example.org", "{link}", "the subject holds a line break"),
        ("", "{link}", "the subject is empty"),
        ("Hi", "{link}\x00", "the body holds a control character"),
        ("x" * 201, "{link}", "more than 200 characters"),
    ],
)
def test_a_template_that_cannot_be_used_is_refused_with_why(
    subject: str, body: str, expected: str
) -> None:
    problems = [str(p) for p in text_problems(MailText(subject, body))]
    assert any(expected in p for p in problems), problems


def test_doubled_braces_write_a_brace() -> None:
    text = MailText("{{Umfrage}} {assessment}", "{{ {link} }}")
    assert text_problems(text) == []
    assert fill(text, VALUES) == MailText(
        "{Umfrage} Kundenblick", "{ https://assess.example.org/r/T?lang=de }"
    )


def test_a_body_line_whose_placeholder_has_no_value_is_left_out() -> None:
    text = MailText("S", "Hallo,\n{link}\nBitte bis {closes}.\nDanke")
    assert fill(text, VALUES).body == "Hallo,\nhttps://assess.example.org/r/T?lang=de\nDanke"
    assert "bis 1. Mai" in fill(text, {**VALUES, "closes": "1. Mai"}).body
    paragraphs = MailText("S", "Hallo,\n\n{link}\n\nBitte bis {closes}.\n\nDanke")
    assert fill(paragraphs, VALUES).body == (
        "Hallo,\n\nhttps://assess.example.org/r/T?lang=de\n\nDanke"
    )


def test_values_are_filled_in_once_and_on_one_line() -> None:
    values = {**VALUES, "respondent": "{link}\nBcc: x@attacker.example\u2028more"}
    filled = fill(MailText("Hi {respondent}", "Dear {respondent}\n{link}"), values)
    assert filled.subject == "Hi {link} Bcc: x@attacker.example more"
    assert filled.body.splitlines()[0] == "Dear {link} Bcc: x@attacker.example more"


def test_emails_are_written_in_german_or_english() -> None:
    assert [mail_language(lang) for lang in ("de", "en", "fr", None)] == ["de", "en", "en", "en"]


@pytest.mark.parametrize(
    "address", ["anna@example.org", "a.b+c@mail.example.co.uk", "o'neil@xn--bcher-kva.example"]
)
def test_plain_addresses_are_taken(address: str) -> None:
    assert address_problem(address) is None


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("", "empty"),
        ("anna", "not an e-mail address"),
        ("anna@localhost", "a domain like example.org"),
        ("anna@exa_mple.org", "a domain like example.org"),
        ("anna@example.org\nBcc: x@example.org", "line break"),
        ("anna@example.org,x@example.org", "more than one @"),
        ("anna,x@example.org", "no quotes, commas"),
        ("Anna <anna@example.org>", "space"),
        ('"anna"@example.org', "no quotes"),
        ("anna..b@example.org", "before @"),
        ("änna@example.org", "before @"),
        ("a" * 65 + "@example.org", "before @"),
        ("a@" + "b" * 260 + ".org", "at most 254"),
    ],
)
def test_anything_but_one_plain_address_is_refused_with_why(address: str, expected: str) -> None:
    problem = address_problem(address)
    assert problem is not None
    assert expected in problem
