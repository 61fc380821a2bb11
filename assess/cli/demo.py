"""`assess demo generate`: a database full of synthetic organisations, for demos,
benchmarks and load tests."""

from __future__ import annotations

import os
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated

import numpy as np
import typer
from sqlmodel import Session

from assess.cli.arguments import bundled_file, fail
from assess.cli.demo_database import (
    DEMO_ADMIN,
    DEMO_FILE,
    chosen_database,
    prepare_to_serve,
    refuse_real_organisations,
    shown,
)
from assess.cli.demo_stats import stats
from assess.cli.serve import serve as serve_the_service
from assess.config import get_settings
from assess.domain.answers import from_stored, to_stored
from assess.domain.questionnaire import Questionnaire, localized
from assess.domain.respondent_levels import respondent_levels
from assess.domain.scoring import score_assessment
from assess.domain.synthetic import SyntheticOrganisation, latent_model, organisations
from assess.domain.validation import parse_questionnaire
from assess.domain.yamlfile import FileProblems
from assess.persistence.engine import make_engine, upgrade
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.assessments import save_snapshot
from assess.persistence.repository.benchmarks import pool_of, refresh_pool
from assess.persistence.repository.demo import (
    add_demo_organisations,
    earlier_demo_organisations,
    mark_as_demo,
)
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    publish_questionnaire,
    questionnaire_of,
)

demo_app = typer.Typer(help="Synthetic data for demos, benchmarks and load tests.")
demo_app.command("stats")(stats)


@demo_app.command("generate")
def generate(
    organisations_count: Annotated[
        int, typer.Option("--organisations", min=1, help="How many organisations.")
    ],
    respondents: Annotated[
        int, typer.Option("--respondents", min=1, max=1000, help="Respondents per organisation.")
    ],
    seed: Annotated[
        int | None, typer.Option(min=0, help="The same seed gives the same answers.")
    ] = None,
    questionnaire: Annotated[
        str,
        typer.Option(
            "--questionnaire", "-q", help="YAML file, or bundled id (newest version) or id@version."
        ),
    ] = "cx-maturity",
    opt_in_share: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of organisations in benchmarks.")
    ] = 0.9,
    database_url: Annotated[
        str | None,
        typer.Option(
            help=f"The database to fill; {DEMO_FILE} beside the configured SQLite database "
            "(or in this folder) by default."
        ),
    ] = None,
    into_this_database: Annotated[
        bool,
        typer.Option(
            "--into-this-database",
            help="Fill the configured database (or --database-url's) even though it holds "
            "real organisations; demo ones stay out of their benchmarks and lists.",
        ),
    ] = False,
) -> None:
    """Fill a demo database with organisations, each with one closed assessment of
    realistic, correlated answers and its score snapshot; `assess demo serve` shows it."""
    seed = secrets.randbelow(2**31) if seed is None else seed
    url = chosen_database(database_url, into_this_database=into_this_database)
    refuse_real_organisations(url, into_this_database=into_this_database)
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    started = time.perf_counter()
    try:
        with Session(engine, expire_on_commit=False) as session:
            filled = _fill(
                session,
                questionnaire,
                count=organisations_count,
                respondents=respondents,
                seed=seed,
                opt_in_share=opt_in_share,
                started=started,
            )
    finally:
        engine.dispose()
    _print_summary(filled, count=organisations_count, seed=seed, started=started, url=url)


@dataclass
class _Filled:
    """What a fill wrote: of which questionnaire, each organisation's overall score (NaN
    where it has none), how many organisations take part in benchmarks, how many responses."""

    model: Questionnaire
    overall: list[float] = field(default_factory=list)
    opted_in: int = 0
    responses: int = 0


def _fill(
    session: Session,
    questionnaire: str,
    *,
    count: int,
    respondents: int,
    seed: int,
    opt_in_share: float,
    started: float,
) -> _Filled:
    """Organisations in batches, each batch's assessments closed with their snapshots,
    progress printed after each; then the demo pool's figures, once."""
    version = _published(session, questionnaire)
    model = questionnaire_of(version)
    filled = _Filled(model)
    name = f"{localized(model.title, 'en')} (demo)"
    latent = latent_model(model, seed)
    batches = organisations(
        model,
        latent,
        count=count,
        respondents=respondents,
        seed=seed,
        opt_in_share=opt_in_share,
    )
    done = 0
    for batch in batches:
        ids = add_demo_organisations(
            session, version=version, name=name, wave="demo", organisations=batch
        )
        filled.overall += _close(session, model, ids, batch)
        done += len(batch)
        filled.opted_in += sum(o.opt_in for o in batch)
        filled.responses += sum(len(o.responses) for o in batch)
        typer.echo(
            f"{done:,}/{count:,} organisations, {filled.responses:,} responses"
            f" ({time.perf_counter() - started:.1f} s)"
        )
    # The pool's figures once, over every entry, not once per organisation.
    pool, _ = pool_of(model, demo=True)
    refresh_pool(session, pool_key=pool, k=get_settings().benchmark_k)
    return filled


def _print_summary(filled: _Filled, *, count: int, seed: int, started: float, url: str) -> None:
    """What a fill wrote, how long it took, and the spread of the overall scores."""
    model = filled.model
    scores = np.array(filled.overall)
    scores = scores[~np.isnan(scores)]  # organisations without an overall score
    typer.echo(
        f"{count:,} organisations ({filled.opted_in:,} in benchmarks), "
        f"{filled.responses:,} responses, closed assessments of {model.id} v{model.version}, "
        f"seed {seed}, in {time.perf_counter() - started:.1f} s, into {shown(url)}"
    )
    if len(scores):
        typer.echo(
            f"overall score: mean {scores.mean():.1f}, sd {scores.std():.1f}, "
            f"quartiles {' / '.join(f'{q:.1f}' for q in np.quantile(scores, [0.25, 0.5, 0.75]))}"
        )


@demo_app.command("serve")
def serve(
    database_url: Annotated[
        str | None,
        typer.Option(help=f"The demo database; {DEMO_FILE} as `demo generate` fills it."),
    ] = None,
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Serve a demo database to look at: signs in as an admin and researcher whose new
    password it prints (never a database with real organisations)."""
    url = chosen_database(database_url, into_this_database=False)
    password = prepare_to_serve(url)
    # Every process of the service reads its settings from the environment.
    os.environ["ASSESS_DATABASE_URL"] = url
    get_settings.cache_clear()
    settings = get_settings()
    typer.echo(
        f"Serving {shown(url)}: sign in at http://{host or settings.host}:"
        f"{port or settings.port}/ as {DEMO_ADMIN} with the password {password} "
        "(a new one each time this command starts)"
    )
    serve_the_service(host=host, port=port, reload=False, workers=1)


@demo_app.command("separate")
def separate(
    database_url: Annotated[
        str | None, typer.Option(help="The database; the configured one by default.")
    ] = None,
) -> None:
    """Mark the demo organisations an earlier `assess demo generate` wrote among real
    ones (named "Demo organisation …", without members, only a "demo" wave): they leave
    the real ones' benchmarks and the admin's list, and are compared with each other."""
    url = chosen_database(database_url, into_this_database=True)
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    try:
        with Session(engine, expire_on_commit=False) as session:
            found = earlier_demo_organisations(session)
            mark_as_demo(session, organisation_ids=found, k=get_settings().benchmark_k)
    finally:
        engine.dispose()
    typer.echo(
        f"{len(found):,} demo organisations of {shown(url)} marked; their benchmark "
        "figures and those of the real organisations were computed anew"
        if found
        else f"{shown(url)} holds no unmarked demo organisations"
    )


def _close(
    session: Session,
    model: Questionnaire,
    assessment_ids: list[uuid.UUID],
    batch: list[SyntheticOrganisation],
) -> list[float]:
    """A score snapshot per assessment, as closing one keeps it; the overall scores.

    Not results.snapshots.take_snapshot: that reads each assessment's responses back,
    makes a release of them and refreshes the benchmark pool per snapshot; the demo
    scores the batch it has just written, in memory, and the pool is computed once at
    the end (refresh=False), which is what makes a large demo database quick to make.
    It also keeps the scores as scored, where take_snapshot would keep those of fewer
    than k respondents (--respondents may be that few) marked as not released: the demo
    database would hold other figures."""
    overall = []
    k = get_settings().benchmark_k
    for assessment_id, organisation in zip(assessment_ids, batch, strict=True):
        # Scored as stored: the answers read back exactly like this.
        stored = [
            from_stored(r.respondent, *to_stored(r), lead=r.lead) for r in organisation.responses
        ]
        result = score_assessment(model, stored).to_dict()
        levels = respondent_levels(model, stored)
        save_snapshot(
            session, assessment_id=assessment_id, result=result, k=k, refresh=False, levels=levels
        )
        score = result["overall"]["score"]
        overall.append(float("nan") if score is None else score)
    return overall


def _published(session: Session, reference: str) -> QuestionnaireVersion:
    """The published version of a questionnaire file or bundled id; published if missing."""
    path = bundled_file(reference)
    try:
        source = path.read_text(encoding="utf-8-sig")
        parsed = parse_questionnaire(source, str(path))
    except OSError as exc:
        fail(f"{path}: cannot read file ({exc.strerror})")
    except FileProblems as exc:
        fail(str(exc))
    row = get_questionnaire_version(session, questionnaire_id=parsed.id, version=parsed.version)
    if row is not None:
        return row
    row, _ = publish_questionnaire(
        session, questionnaire_id=parsed.id, version=parsed.version, source=source
    )
    typer.echo(f"{path}: published {parsed.id} v{parsed.version}")
    return row
