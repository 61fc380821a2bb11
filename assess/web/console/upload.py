"""A questionnaire file posted from the page: read from the upload or the pasted text,
validated as `assess validate` does, and shown line by line with its problems beside them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from starlette.datastructures import FormData, UploadFile

from assess.domain.yamlfile import MAX_BYTES, Problem

# Long lines (a binary file has few line breaks) are cut for showing; long files show only
# the lines around each problem, so the page stays readable and small.
SHOWN_LINE_CHARS = 300
WHOLE_FILE_LINES = 2_000
CONTEXT_LINES = 3
PASTED_NAME = "questionnaire.yaml"
# What YAML counts as a line break, so that line numbers here match the validator's.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass
class Posted:
    """What was sent: the file's bytes or the pasted text, and what the form keeps."""

    source: bytes | str
    name: str
    pasted: str = ""
    problem: str | None = None  # "empty", "too_large" or "binary": nothing to validate


def posted_file(form: FormData) -> Posted:
    """The uploaded file if one was chosen, else the pasted text (line breaks as typed:
    browsers send a text area's lines with CRLF)."""
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = upload.file.read(MAX_BYTES + 1)
        name = upload.filename[-100:]
        if len(raw) > MAX_BYTES:
            return Posted(b"", name, problem="too_large")
        if b"\x00" in raw[:8192]:  # text has no NUL bytes; images, PDFs and archives do
            return Posted(b"", name, problem="binary")
        return Posted(raw, name, problem=None if raw.strip() else "empty")
    value = form.get("source")
    pasted = value.replace("\r\n", "\n") if isinstance(value, str) else ""
    if len(pasted.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        return Posted("", PASTED_NAME, problem="too_large")
    return Posted(pasted, PASTED_NAME, pasted, problem=None if pasted.strip() else "empty")


def text_of(source: bytes | str) -> str:
    """The text to store and show: UTF-8 without a byte order mark; undecodable bytes shown
    as the replacement character (such a file is refused, never stored)."""
    if isinstance(source, str):
        return source
    return source.decode("utf-8-sig", errors="replace")


@dataclass
class SourceLine:
    """One line of the file as shown, with the problems found on it."""

    number: int
    text: str
    cut: bool = False
    problems: list[Problem] = field(default_factory=list)


def annotated_lines(text: str, problems: list[Problem]) -> list[SourceLine | None]:
    """The file's lines with each problem under its line; in a long file only the lines
    around the problems, a None standing for the lines left out between them."""
    lines = _LINE_BREAK.split(text)
    last = max([len(lines), *(p.line for p in problems)])
    lines += [""] * (last - len(lines))
    by_line: dict[int, list[Problem]] = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem)
    if len(lines) <= WHOLE_FILE_LINES:
        shown = set(range(1, last + 1))
    else:
        shown = {
            n
            for line in by_line
            for n in range(line - CONTEXT_LINES, line + CONTEXT_LINES + 1)
            if 1 <= n <= last
        }
    result: list[SourceLine | None] = []
    previous = 0
    for number in sorted(shown):
        if number != previous + 1:
            result.append(None)
        line = lines[number - 1]
        cut = len(line) > SHOWN_LINE_CHARS
        result.append(SourceLine(number, line[:SHOWN_LINE_CHARS], cut, by_line.get(number, [])))
        previous = number
    if previous < last:
        result.append(None)
    return result
