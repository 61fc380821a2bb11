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


@dataclass(frozen=True)
class TextProblem:
    """What keeps one part (subject or body) of a template from being used: a `kind`
    the pages put in words, with the placeholders or limit it concerns."""

    part: str  # subject, body
    kind: str  # empty, too_long, line_break, control, braces, unknown, formatted, no_link
    names: tuple[str, ...] = ()
    limit: int = 0

    def __str__(self) -> str:
        named = ", ".join("{" + name + "}" for name in self.names)
        known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
        words = {
            "empty": "is empty",
            "too_long": f"has more than {self.limit} characters",
            "line_break": "holds a line break or control character; write one line",
            "control": "holds a control character; write plain text",
            "braces": "has a brace that is not closed or not opened; write {{ or }} for a brace",
            "unknown": f"has an unknown placeholder {named}; use {known}",
            "formatted": f"writes {named} with a format or conversion; write the name alone",
            "no_link": "has no {link}: without it respondents cannot open the questionnaire",
        }
        return f"the {self.part} {words[self.kind]}"


def text_problems(text: MailText) -> list[TextProblem]:
    """What keeps a template from being used; empty when it may be saved.

    Placeholders are names from PLACEHOLDERS in braces; `{{` and `}}` write a brace.
    """
    problems: list[TextProblem] = []
    for part, source, limit in (
        ("subject", text.subject, MAX_SUBJECT),
        ("body", normalised_body(text.body), MAX_BODY),
    ):
        allowed = "" if part == "subject" else "\n\t"
        if not source.strip():
            problems.append(TextProblem(part, "empty"))
        if len(source) > limit:
            problems.append(TextProblem(part, "too_long", limit=limit))
        if any(_is_control(c) and c not in allowed for c in source):
            problems.append(TextProblem(part, "line_break" if part == "subject" else "control"))
        problems.extend(_placeholder_problems(part, source))
    body = normalised_body(text.body)
    if _parses(body) and REQUIRED not in set(_fields(body)):
        problems.append(TextProblem("body", "no_link"))
    return problems


def _parses(source: str) -> bool:
    try:
        list(string.Formatter().parse(source))
    except ValueError:
        return False
    return True


def _placeholder_problems(part: str, source: str) -> list[TextProblem]:
    if not _parses(source):
        return [TextProblem(part, "braces")]
    unknown: set[str] = set()
    formatted: set[str] = set()
    for _, field, spec, conversion in string.Formatter().parse(source):
        if field is None:
            continue
        if field not in PLACEHOLDERS:
            unknown.add(field)
        elif spec or conversion:
            formatted.add(field)
    problems = []
    if unknown:
        problems.append(TextProblem(part, "unknown", tuple(sorted(unknown))))
    if formatted:
        problems.append(TextProblem(part, "formatted", tuple(sorted(formatted))))
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
    lines: list[str] = []
    after_gap = False  # a line was left out right after a blank line
    for line in normalised_body(text.body).split("\n"):
        if any(not clean[field] for field in _fields(line)):
            after_gap = not lines or not lines[-1].strip()
            continue
        if after_gap and not line.strip():
            continue  # one blank line where the paragraph was, not two
        after_gap = False
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
