"""The wording of e-mails to respondents: subject and plain-text body per kind and
language, with placeholders in braces. Pure Python: checked and filled in here, stored
by the repository, shipped in `defaults`."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

MAIL_LANGUAGES = ("de", "en")
MAX_SUBJECT = 200
MAX_BODY = 20_000
# Placeholder, and what it stands for (shown to whoever edits a template).
PLACEHOLDERS: dict[str, str] = {
    "link": "the respondent's personal link (required in the body)",
    "assessment": "the assessment's name",
    "organisation": "the organisation's name",
    "closes": (
        "the closing date in the respondent's language; a body line holding it is left "
        "out when the assessment has no closing date"
    ),
    "respondent": "the respondent's label, as invited",
}
REQUIRED = "link"


@dataclass(frozen=True)
class MailText:
    """A subject and a plain-text body, as written or as filled in."""

    subject: str
    body: str


def mail_language(language: str | None) -> str:
    """The language e-mails are written in for a respondent's language: theirs if
    e-mails come in it, else English."""
    return language if language in MAIL_LANGUAGES else "en"


def text_problems(text: MailText) -> list[str]:
    """What keeps a template from being used, each in words; empty when it may be saved.

    Placeholders are names from PLACEHOLDERS in braces; `{{` and `}}` write a brace.
    """
    problems: list[str] = []
    subject, body = text.subject, normalised_body(text.body)
    if not subject.strip():
        problems.append("the subject is empty")
    if len(subject) > MAX_SUBJECT:
        problems.append(f"the subject has {len(subject)} characters; at most {MAX_SUBJECT}")
    if any(_is_control(c) for c in subject):
        problems.append("the subject holds a line break or control character; write one line")
    if not body.strip():
        problems.append("the body is empty")
    if len(body) > MAX_BODY:
        problems.append(f"the body has {len(body)} characters; at most {MAX_BODY}")
    if any(_is_control(c) and c not in "\n\t" for c in body):
        problems.append("the body holds a control character; write plain text")
    for part, source in (("subject", subject), ("body", body)):
        problems.extend(f"the {part}: {p}" for p in _placeholder_problems(source))
    if _parses(body) and REQUIRED not in set(_fields(body)):
        problems.append(
            "the body has no {link}: without it respondents cannot open the questionnaire"
        )
    return problems


def _parses(source: str) -> bool:
    try:
        list(string.Formatter().parse(source))
    except ValueError:
        return False
    return True


def _placeholder_problems(source: str) -> list[str]:
    try:
        parsed = list(string.Formatter().parse(source))
    except ValueError:
        return ["a brace is not closed or not opened; write {{ or }} for a brace itself"]
    unknown: list[str] = []
    formatted: list[str] = []
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            unknown.append("{" + field + "}")
        elif spec or conversion:
            formatted.append("{" + field + "}")
    problems = []
    if unknown:
        names = ", ".join(sorted(set(unknown)))
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        problems.append(f"unknown placeholder {names}; use {known}")
    if formatted:
        problems.append(f"{', '.join(sorted(set(formatted)))} takes no format or conversion")
    return problems


def _fields(source: str) -> Iterator[str]:
    for _, field, _, _ in string.Formatter().parse(source):
        if field is not None:
            yield field


def fill(text: MailText, values: Mapping[str, str]) -> MailText:
    """The template with its placeholders filled in (the template has passed
    `text_problems`). Values become one line each: a line break in a label or name
    can neither start a header in the subject nor break up the body; a body line
    whose placeholder has no value is left out."""
    clean = {name: one_line(values.get(name, "")) for name in PLACEHOLDERS}
    lines = []
    for line in normalised_body(text.body).split("\n"):
        if any(not clean[field] for field in _fields(line)):
            continue
        lines.append(_substitute(line, clean))
    return MailText(one_line(_substitute(text.subject, clean)), "\n".join(lines))


def _substitute(source: str, values: Mapping[str, str]) -> str:
    out = []
    for literal, field, _, _ in string.Formatter().parse(source):
        out.append(literal)
        if field is not None:
            out.append(values[field])
    return "".join(out)


def one_line(value: str) -> str:
    """`value` with line breaks and other control characters as spaces, trimmed."""
    return " ".join("".join(" " if _is_control(c) else c for c in value).split())


def normalised_body(body: str) -> str:
    """A body with every line ending as \\n."""
    return body.replace("\r\n", "\n").replace("\r", "\n")


def _is_control(character: str) -> bool:
    # Cc: C0/C1 controls (CR, LF, NEL…); Zl, Zp: Unicode's line and paragraph separators.
    return unicodedata.category(character) in ("Cc", "Zl", "Zp")
