"""`assess demo stats`: item statistics of synthetic organisations made in memory, as the
latent model of `assess demo generate` answers a questionnaire (no database)."""

from __future__ import annotations

import json
import secrets
from typing import Annotated

import typer

from assess.cli.arguments import check_language, open_questionnaire
from assess.cli.terminal_stats import stats_tables
from assess.domain.itemstats import item_statistics_by_organisation
from assess.domain.synthetic import latent_model, organisations


def stats(
    organisations_count: Annotated[
        int, typer.Option("--organisations", min=1, help="How many organisations.")
    ] = 60,
    respondents: Annotated[
        int, typer.Option("--respondents", min=1, max=1000, help="Respondents per organisation.")
    ] = 6,
    seed: Annotated[
        int | None, typer.Option(min=0, help="The same seed gives the same answers.")
    ] = None,
    questionnaire: Annotated[
        str, typer.Option("--questionnaire", "-q", help="YAML file or bundled id.")
    ] = "cx-maturity",
    lang: Annotated[str | None, typer.Option("--lang", help="de or en.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Item statistics of synthetic answers: Cronbach's alpha per level, and per item n,
    mean, sd, item-total r and alpha if deleted, as `assess stats` gives them for a file."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    model = open_questionnaire(questionnaire)
    language = check_language(model, lang)
    batches = organisations(
        model,
        latent_model(model, seed),
        count=organisations_count,
        respondents=respondents,
        seed=seed,
    )
    figures = item_statistics_by_organisation(
        model, (organisation.responses for batch in batches for organisation in batch)
    )
    if as_json:
        output = {"seed": seed, "organisations": organisations_count, **figures.to_dict()}
        typer.echo(json.dumps(output, ensure_ascii=False, indent=2, allow_nan=False))
        return
    count = f"{organisations_count:,}"
    typer.echo(
        f"{count.replace(',', '.')} synthetische Organisationen mit je {respondents} "
        f"Befragten, Seed {seed}"
        if language == "de"
        else f"{count} synthetic organisations, {respondents} respondents each, seed {seed}"
    )
    stats_tables(model, figures, language)
