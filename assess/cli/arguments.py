"""What the commands make of their arguments: a questionnaire named by its file or a
bundled id (`cx-maturity`, its newest version, or `cx-maturity@1`), a language it is
written in, target stages, and the exit with a message saying what to change when an
argument is wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

from assess.config import get_settings
from assess.domain.advice import TargetError, resolve_targets
from assess.domain.catalogue import UnknownReference, questionnaire_file
from assess.domain.questionnaire import Questionnaire
from assess.domain.validation import load_questionnaire
from assess.domain.yamlfile import FileProblems


def fail(message: str) -> NoReturn:
    """Bad input: say what to change on stderr and exit with 1."""
    typer.echo(message, err=True)
    raise typer.Exit(1)


def open_questionnaire(reference: str) -> Questionnaire:
    """A questionnaire from a file path, or a bundled one: `id` (its newest version) or
    `id@version`."""
    path = bundled_file(reference)
    try:
        return load_questionnaire(path)
    except FileProblems as exc:
        fail(str(exc))


def bundled_file(reference: str) -> Path:
    """The file a questionnaire reference names: a path, or a bundled `id` or
    `id@version`; a bad reference exits saying which versions there are."""
    try:
        return questionnaire_file(reference, get_settings().questionnaires_dir)
    except UnknownReference as exc:
        fail(str(exc))


def check_language(questionnaire: Questionnaire, language: str | None) -> str:
    """The language to show, which the questionnaire must have."""
    if language is None:
        return "en" if "en" in questionnaire.languages else questionnaire.languages[0]
    if language not in questionnaire.languages:
        fail(
            f"--lang {language}: the questionnaire is written in "
            f"{', '.join(questionnaire.languages)}"
        )
    return language


Targets = Annotated[
    list[str] | None,
    typer.Option(
        "--target",
        "-t",
        help="Target stage: DIMENSION=STAGE or all=STAGE (repeatable; a dimension's "
        "own wins over all). Default: the stage after the current one.",
    ),
]
"""The `--target` option of the commands that give advice."""


def check_targets(questionnaire: Questionnaire, given: list[str] | None) -> dict[str, str]:
    """Target stage per dimension from `--target DIM=STAGE` values (DIM may be `all`;
    a dimension's own target wins over `all`, whatever the order)."""
    pairs: dict[str, str] = {}
    for value in given or []:
        dimension, equals, stage = (part.strip() for part in value.partition("="))
        if not equals or not dimension or not stage:
            fail(
                f"--target {value}: write DIMENSION=STAGE, e.g. "
                f"--target {questionnaire.dimensions[0].id}={questionnaire.stages[-1].id} "
                f"or --target all={questionnaire.stages[-1].id}"
            )
        if pairs.get(dimension, stage) != stage:
            fail(f"--target {value}: '{dimension}' already has the target '{pairs[dimension]}'")
        pairs[dimension] = stage
    try:
        return resolve_targets(questionnaire, pairs)
    except TargetError as exc:
        fail("\n".join(f"--target: {problem}" for problem in exc.problems))
