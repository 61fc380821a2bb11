"""The `assess` command: its command groups; scores, statistics and reports of answers
files; serving."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from assess.cli.admin import apikey_app, db_app, user_app
from assess.cli.arguments import (
    Targets,
    bundled_file,
    check_language,
    check_targets,
    fail,
    open_questionnaire,
)
from assess.cli.demo import demo_app
from assess.cli.jobs import jobs_app, worker
from assess.cli.questionnaires import questionnaire_app, validate
from assess.cli.serve import serve
from assess.cli.settings_check import missing_key_problem, problems_of
from assess.cli.terminal import result_tables
from assess.cli.terminal_stats import stats_tables
from assess.config import get_settings
from assess.domain.answer_files import iter_chunks
from assess.domain.answers import AnswersError
from assess.domain.grouping import UnknownQuestion
from assess.domain.itemstats import item_statistics_of_chunks
from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import score_answers

app = typer.Typer(
    help="Measure the maturity of customer experience management.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(questionnaire_app, name="questionnaire")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(apikey_app, name="apikey")
app.add_typer(demo_app, name="demo")
app.add_typer(jobs_app, name="jobs")
app.command("worker")(worker)
app.command("validate")(validate)


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


@app.command()
def score(
    questionnaire: Annotated[
        str,
        typer.Option(
            "--questionnaire", "-q", help="YAML file, or bundled id (newest version) or id@version."
        ),
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
    target: Targets = None,
) -> None:
    """Score an answers file: organisation figures, groups and where they diverge,
    priorities and the roadmap of recommendations."""
    if output not in {"table", "json"}:
        typer.echo(f"--format {output}: use table or json", err=True)
        raise typer.Exit(2)
    model = open_questionnaire(questionnaire)
    language = check_language(model, lang)
    targets = check_targets(model, target)
    raw = _read(answers)
    try:
        result = score_answers(
            raw, model, group_by, file=str(answers), kind=_kind(answers), targets=targets
        )
    except (AnswersError, UnknownQuestion) as exc:
        fail(str(exc))
    if output == "json":
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        result_tables(model, result, language)


@app.command()
def stats(
    questionnaire: Annotated[
        str,
        typer.Option(
            "--questionnaire", "-q", help="YAML file, or bundled id (newest version) or id@version."
        ),
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
        str,
        typer.Option(
            "--questionnaire", "-q", help="YAML file, or bundled id (newest version) or id@version."
        ),
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
    target: Targets = None,
) -> None:
    """Render the report of an answers file as PDF (or HTML), without a database, with
    its roadmap for the target stages given."""
    from assess.domain.answer_files import read_answers
    from assess.domain.report_scores import report_scores
    from assess.reporting.render import (
        BrandingError,
        Meta,
        ReportError,
        build_report,
        html_of,
        make_branding,
        pdf_of,
    )

    templates = get_settings().report_templates_dir
    model = open_questionnaire(questionnaire)
    language = check_language(model, lang)
    targets = check_targets(model, target)
    raw = _read(answers)
    try:
        responses = read_answers(raw, model, file=str(answers), kind=_kind(answers))
        branding = make_branding(_read(logo) if logo else None, accent)
        built = build_report(
            model,
            report_scores(model, responses, targets=targets),
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
    if out.suffix.lower() == ".html":
        document = html_of(built, templates=templates).encode()
    else:
        document = pdf_of(built, templates=templates)
    _write_whole(out, document)
    typer.echo(f"{out}: {len(document):,} bytes, {len(responses)} respondents")


def _write_whole(out: Path, document: bytes) -> None:
    """Write the file beside `out` first, so `out` is never a half-written report."""
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(document)
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(f"{out}: cannot write ({exc.strerror})")


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
    """SHA-256 of the questionnaire file (of the bundled file for an id or id@version)."""
    path = bundled_file(reference)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


app.command()(serve)


def main() -> None:
    """Entry point of the `assess` command."""
    app()


if __name__ == "__main__":
    main()
