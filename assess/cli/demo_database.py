"""Where `assess demo` puts synthetic data: a database of its own unless told otherwise,
never one with real organisations by mistake; and a way to sign in to look at it."""

from __future__ import annotations

import secrets
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import make_url
from sqlmodel import Session

from assess.cli.arguments import fail
from assess.config import Settings, get_settings
from assess.persistence.engine import make_engine, upgrade
from assess.persistence.repository.accounts import create_user, get_user_by_email
from assess.persistence.repository.audit import CLI, audit, audit_now
from assess.persistence.repository.demo import demo_organisations, real_organisations_unmigrated
from assess.persistence.repository.signin import set_password

DEMO_FILE = "assess-demo.db"
DEMO_ADMIN = "demo@example.org"


def demo_database_url(configured: str) -> str:
    """The demo database for a configured one: `assess-demo.db` beside a SQLite file
    (`data/assess.db` gives `data/assess-demo.db`; a file named `*-demo.db` is its own),
    else in the working folder."""
    url = make_url(configured)
    name = url.database or ""
    if url.get_backend_name() != "sqlite" or name in ("", ":memory:") or "mode=memory" in name:
        return f"sqlite:///{DEMO_FILE}"
    path = Path(name)
    if path.stem.endswith("-demo"):
        return configured
    return f"sqlite:///{path.with_name(f'{path.stem}-demo{path.suffix}')}"


def chosen_database(database_url: str | None, *, into_this_database: bool) -> str:
    """The database a demo command works on: `--database-url`, else the configured one
    with `--into-this-database`, else the demo database beside it."""
    if database_url is None:
        configured = get_settings().database_url
        return in_a_folder(configured if into_this_database else demo_database_url(configured))
    try:  # the same check as ASSESS_DATABASE_URL's
        checked = Settings(database_url=database_url).database_url
    except ValidationError as exc:
        problem = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
        fail(problem.replace("ASSESS_DATABASE_URL", "--database-url"))
    return in_a_folder(checked)


def in_a_folder(url: str) -> str:
    """`url`, once it is clear that a SQLite file there can be made: its folder exists."""
    parsed = make_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and name not in ("", ":memory:"):
        folder = Path(name).parent
        if "mode=memory" not in name and not folder.is_dir():
            fail(
                f"The folder {folder} for the demo database does not exist: create it, "
                "or name a file in another folder with --database-url."
            )
    return url


def shown(url: str) -> str:
    """A database URL as the terminal may show it: without its password."""
    return make_url(url).render_as_string(hide_password=True)


def real_organisations_in(url: str) -> int:
    """How many real organisations the database at `url` holds (before migrating it)."""
    engine = make_engine(url, pool_size=1)
    try:
        with Session(engine) as session:
            return real_organisations_unmigrated(session)
    finally:
        engine.dispose()


def refuse_real_organisations(url: str, *, into_this_database: bool) -> None:
    """Exit 1, saying what to do, if demo data would land beside real organisations
    without `--into-this-database`."""
    real = real_organisations_in(url)
    if real == 0 or into_this_database:
        return
    fail(
        f"{shown(url)} holds {real:,} real organisation{'s' if real != 1 else ''}: demo data "
        "goes to a database of its own. Leave out --database-url to use "
        f"{shown(demo_database_url(get_settings().database_url))}, name an empty database "
        "with --database-url, or add --into-this-database to put demo organisations beside "
        "the real ones (they are kept out of the real ones' benchmarks and lists)."
    )


def prepare_to_serve(url: str) -> str:
    """Migrate a demo database, make its admin (also a researcher) a new password and
    return it; exit 1 if it holds real organisations or no demo ones."""
    real = real_organisations_in(url)
    if real:
        fail(
            f"{shown(url)} holds {real:,} real organisation{'s' if real != 1 else ''}: "
            "`assess demo serve` serves demo databases only, as it makes an admin whose "
            "password it prints. Serve this database with `assess serve`."
        )
    upgrade(url)
    engine = make_engine(url, pool_size=1)
    password = secrets.token_urlsafe(12)
    try:
        with Session(engine, expire_on_commit=False) as session:
            if demo_organisations(session) == 0:
                fail(
                    f"{shown(url)} holds no demo organisations yet: fill it first, e.g. "
                    "`assess demo generate --organisations 200 --respondents 10`"
                )
            user = get_user_by_email(session, email=DEMO_ADMIN)
            if user is None:
                user = create_user(
                    session, email=DEMO_ADMIN, name="Demo", is_admin=True, is_researcher=True
                )
                roles = {"admin": True, "researcher": True}
                audit_now(session, CLI, "user.created", ("user", user.id), roles)
            audit(session, CLI, "user.password_changed", ("user", user.id))
            set_password(session, user=user, password=password)
    finally:
        engine.dispose()
    return password
