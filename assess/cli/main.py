"""The `assess` command: validate questionnaires, score answers, show outlines, serve."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from assess.cli.admin import apikey_app, db_app, publish, user_app
from assess.cli.arguments import fail
from assess.cli.demo import demo_app
from assess.cli.jobs import jobs_app, worker
from assess.cli.serve import serve
from assess.cli.settings_check import missing_key_problem, problems_of
from assess.cli.terminal import outline, result_tables, stats_tables
from assess.config import get_settings
from assess.domain.answers import AnswersError, iter_chunks
from assess.domain.catalogue import Catalogue, questionnaire_file
from assess.domain.itemstats import item_statistics_of_chunks
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import UnknownQuestion, score_answers
from assess.domain.validation import load_questionnaire
from assess.domain.yamlfile import FileProblems

app = typer.Typer(
    help="Measure the maturity of customer experience management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
questionnaire_app = typer.Typer(help="Look at questionnaires.", no_args_is_help=True)
app.add_typer(questionnaire_app, name="questionnaire")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")
app.add_typer(demo_app, name="demo")
app.add_typer(jobs_app, name="jobs")
app.command("worker")(worker)
questionnaire_app.command("publish")(publish)


@app.callback()
def check_settings(context: typer.Context) -> None:
    """Measure the maturity of customer experience management."""
    try:
        settings = get_settings()
    except ValidationError as exc:
        lines = problems_of(exc)
        typer.echo("invalid settings, nothing started:\n" + "\n".join(lines), err=True)
        raise typer.Exit(2) from None
    problem = missing_key_problem(settings, context.invoked_subcommand)
    if problem is not None:
        typer.echo(f"invalid settings, nothing started:\n{problem}", err=True)
        raise typer.Exit(2)


def open_questionnaire(reference: str) -> Questionnaire:
    """A questionnaire from a file path, or the id of a bundled questionnaire."""
    path = questionnaire_file(reference, get_settings().questionnaires_dir)
    if path is None:
        fail(f"{reference}: no such file, and no bundled questionnaire has this id")
    try:
        return load_questionnaire(path)
    except FileProblems as exc:
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


@app.command()
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


@app.command()
def score(
    questionnaire: Annotated[
        str, typer.Option("--questionnaire", "-q", help="YAML file or bundled id.")
    ],
    answers: Annotated[Path, typer.Option("--answers", "-a", help="CSV or JSON answers.")],
    output: Annotated[
        str, typer.Option("--format", "-f", help="table or json.", case_sensitive=False)
    ] = "table",
    group_by: Annotated[
        list[str] | None,
        typer.Option("--group-by", "-g", help="Profile question to group by (repeatable)."),
    ] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
) -> None:
    """Score an answers file: organisation figures, groups and where they diverge."""
    if output not in {"table", "json"}:
        typer.echo(f"--format {output}: use table or json", err=True)
        raise typer.Exit(2)
    model = open_questionnaire(questionnaire)
    language = check_language(model, lang)
    raw = _read(answers)
    try:
        result = score_answers(raw, model, group_by, file=str(answers), kind=_kind(answers))
    except (AnswersError, UnknownQuestion) as exc:
        fail(str(exc))
    if output == "json":
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        result_tables(model, result, language)


@app.command()
def stats(
    questionnaire: Annotated[
        str, typer.Option("--questionnaire", "-q", help="YAML file or bundled id.")
    ],
    answers: Annotated[Path, typer.Option("--answers", "-a", help="CSV or JSON answers.")],
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Item statistics for researchers: n, mean, sd, item-total r, Cronbach's alpha."""
    model = open_questionnaire(questionnaire)
    language = check_language(model, lang)
    raw = _read(answers)
    try:
        chunks = iter_chunks(raw, model, file=str(answers), kind=_kind(answers))
        figures = item_statistics_of_chunks(model, chunks)
    except AnswersError as exc:
        fail(str(exc))
    if as_json:
        typer.echo(json.dumps(figures.to_dict(), ensure_ascii=False, indent=2, allow_nan=False))
    else:
        stats_tables(model, figures, language)


@app.command()
def report(
    questionnaire: Annotated[
        str, typer.Option("--questionnaire", "-q", help="YAML file or bundled id.")
    ],
    answers: Annotated[Path, typer.Option("--answers", "-a", help="CSV or JSON answers.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The PDF (or .html) to write.")],
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
    organisation: Annotated[
        str, typer.Option("--organisation", help="Name on the cover.")
    ] = "Organisation",
    assessment: Annotated[
        str | None, typer.Option("--assessment", help="Assessment name on the cover.")
    ] = None,
    wave: Annotated[str | None, typer.Option("--wave", help="Wave, e.g. 2026-Q4.")] = None,
    logo: Annotated[Path | None, typer.Option("--logo", help="PNG, JPEG or SVG logo.")] = None,
    accent: Annotated[
        str | None, typer.Option("--accent", help="Accent colour, e.g. '#0a7'.")
    ] = None,
) -> None:
    """Render the report of an answers file as PDF (or HTML), without a database."""
    from assess.domain.answers import read_answers
    from assess.reporting.render import (
        BrandingError,
        Meta,
        ReportError,
        build_report,
        html_of,
        make_branding,
        pdf_of,
    )

    model = open_questionnaire(questionnaire)
    language = check_language(model, lang)
    raw = _read(answers)
    try:
        responses = read_answers(raw, model, file=str(answers), kind=_kind(answers))
        branding = make_branding(_read(logo) if logo else None, accent)
        built = build_report(
            model,
            responses,
            language=language,
            meta=Meta(
                organisation,
                assessment or _default_title(model, language),
                wave,
                sha256=_source_hash(questionnaire),
            ),
            branding=branding,
        )
    except (AnswersError, BrandingError, ReportError) as exc:
        fail(str(exc))
    document = html_of(built).encode() if out.suffix.lower() == ".html" else pdf_of(built)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(document)
        partial.replace(out)  # never a half-written report under the real name
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"{out}: cannot write ({exc.strerror})")
    typer.echo(f"{out}: {len(document):,} bytes, {len(responses)} respondents")


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read file ({exc.strerror})")


def _kind(path: Path) -> str | None:
    return "json" if path.suffix.lower() == ".json" else None


def _default_title(model: Questionnaire, language: str) -> str:
    from assess.domain.questionnaire import localized

    return localized(model.title, language)


def _source_hash(reference: str) -> str | None:
    """SHA-256 of the questionnaire file (of the bundled file for an id)."""
    path = Path(reference)
    if path.exists():
        return hashlib.sha256(path.read_bytes()).hexdigest()
    entry = Catalogue(get_settings().questionnaires_dir).get(reference)
    return entry.sha256 if entry is not None else None


@questionnaire_app.command("show")
def show(
    questionnaire: Annotated[str, typer.Argument(help="YAML file or bundled id.")],
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
) -> None:
    """Print an outline: dimensions, items, stages, profile questions."""
    model = open_questionnaire(questionnaire)
    outline(model, check_language(model, lang))


@questionnaire_app.command("diff")
def diff(
    old: Annotated[str, typer.Argument(help="The old version: YAML file or bundled id.")],
    new: Annotated[str, typer.Argument(help="The new version: YAML file or bundled id.")],
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
    output: Annotated[
        str, typer.Option("--format", "-f", help="text or json.", case_sensitive=False)
    ] = "text",
) -> None:
    """What changed between two versions, and whether benchmarks pool their scores."""
    from assess.domain.versions import compare
    from assess.domain.versions_text import print_comparison, summary_text

    if output not in {"text", "json"}:
        typer.echo(f"--format {output}: use text or json", err=True)
        raise typer.Exit(2)
    before, after = open_questionnaire(old), open_questionnaire(new)
    language = check_language(after, lang)
    comparison = compare(before, after)
    if output == "json":
        data = {
            **comparison.to_dict(),
            "summary": summary_text(comparison, before, after, language),
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print_comparison(comparison, before, after, language)


app.command()(serve)


def main() -> None:
    """Entry point of the `assess` command."""
    app()
