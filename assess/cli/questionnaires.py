"""The `assess questionnaire` commands (publish, show, diff) and `assess validate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from assess.cli.admin import publish
from assess.cli.arguments import check_language, open_questionnaire
from assess.cli.terminal import outline
from assess.domain.validation import load_questionnaire
from assess.domain.yamlfile import FileProblems

questionnaire_app = typer.Typer(help="Look at questionnaires.", no_args_is_help=True)
questionnaire_app.command("publish")(publish)


def validate(
    paths: Annotated[list[Path], typer.Argument(help="Questionnaire YAML files.")],
) -> None:
    """Check questionnaire files; print every problem as file:line:column: message."""
    failed = False
    for path in paths:
        try:
            questionnaire = load_questionnaire(path)
        except FileProblems as exc:
            typer.echo(str(exc), err=True)
            failed = True
            continue
        items = len(questionnaire.item_ids())
        typer.echo(
            f"{path}: ok ({questionnaire.id} v{questionnaire.version}, "
            f"{len(questionnaire.dimensions)} dimensions, {items} items)"
        )
    if failed:
        raise typer.Exit(1)


@questionnaire_app.command("show")
def show(
    questionnaire: Annotated[
        str, typer.Argument(help="YAML file, or bundled id (newest version) or id@version.")
    ],
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
) -> None:
    """Print an outline: dimensions, items, stages, profile questions."""
    model = open_questionnaire(questionnaire)
    outline(model, check_language(model, lang))


@questionnaire_app.command("diff")
def diff(
    old: Annotated[
        str, typer.Argument(help="The old version: YAML file or id@version, e.g. cx-maturity@1.")
    ],
    new: Annotated[
        str, typer.Argument(help="The new version: YAML file or id@version, e.g. cx-maturity@2.")
    ],
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
    output: Annotated[
        str, typer.Option("--format", "-f", help="text or json.", case_sensitive=False)
    ] = "text",
    details: Annotated[
        bool, typer.Option("--details", help="Text: also every change field by field.")
    ] = False,
) -> None:
    """Whether benchmarks pool the two versions and why, a summary by level, and what
    changed in each level."""
    from assess.domain.versions import compare
    from assess.domain.versions_text import comparison_document, print_comparison

    if output not in {"text", "json"}:
        typer.echo(f"--format {output}: use text or json", err=True)
        raise typer.Exit(2)
    before, after = open_questionnaire(old), open_questionnaire(new)
    language = check_language(after, lang)
    comparison = compare(before, after)
    if output == "json":
        data = comparison_document(comparison, before, after, language)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_comparison(comparison, before, after, language, details=details)
