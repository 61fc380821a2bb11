"""`assess db`, `assess user`, `assess apikey` and `assess questionnaire publish`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import Session

from assess.config import get_settings
from assess.domain.questionnaire import Questionnaire
from assess.domain.validation import load_questionnaire
from assess.domain.yamlfile import FileProblems
from assess.persistence.engine import BackupError, backup_sqlite, make_engine, upgrade
from assess.persistence.models.accounts import User
from assess.persistence.repository.accounts import (
    create_api_key,
    create_user,
    get_user_by_email,
    revoke_api_key,
)
from assess.persistence.repository.audit import CLI, audit, audit_now
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    publish_questionnaire,
)
from assess.persistence.repository.signin import set_password
from assess.persistence.security import password_problem

db_app = typer.Typer(help="The database.", no_args_is_help=True)
user_app = typer.Typer(help="Users.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys.", no_args_is_help=True)


def _session() -> Session:
    return Session(make_engine(get_settings().database_url), expire_on_commit=False)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations to the database of ASSESS_DATABASE_URL."""
    upgrade(get_settings().database_url)
    typer.echo("database is up to date")


@db_app.command("backup")
def db_backup(
    path: Annotated[Path, typer.Argument(help="The file to write; it must not exist yet.")],
) -> None:
    """Copy the SQLite database (and its key file) to PATH while the service runs."""
    try:
        size = backup_sqlite(get_settings().database_url, path)
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"backed up to {path} ({size:,} bytes)")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="The user's e-mail, used to sign in.")],
    name: Annotated[str, typer.Option(help="Display name.")] = "",
    admin: Annotated[bool, typer.Option(help="Admin of this instance.")] = False,
    researcher: Annotated[bool, typer.Option(help="May read anonymous aggregates.")] = False,
    password: Annotated[
        bool, typer.Option(help="Ask for a password, to sign in to the pages.")
    ] = False,
) -> None:
    """Create a user (the first admin, say)."""
    chosen = _new_password() if password else None
    with _session() as session:
        try:
            user = create_user(
                session, email=email, name=name, is_admin=admin, is_researcher=researcher
            )
        except Conflict as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
        roles = {"admin": user.is_admin, "researcher": user.is_researcher}
        audit_now(session, CLI, "user.created", ("user", user.id), roles)
        if chosen is not None:
            audit(session, CLI, "user.password_changed", ("user", user.id))
            set_password(session, user=user, password=chosen)
        typer.echo(f"created user {user.email} ({user.id})")


@user_app.command("password")
def user_password(
    email: Annotated[str, typer.Option(help="Whose password to set.")],
) -> None:
    """Set a user's password (asked twice, never echoed); signs them out everywhere."""
    with _session() as session:
        user = _existing_user(session, email)  # before asking for a password in vain
        password = _new_password()
        audit(session, CLI, "user.password_changed", ("user", user.id))
        set_password(session, user=user, password=password)
    typer.echo(f"password set for {user.email}")


def _existing_user(session: Session, email: str) -> User:
    """The user with this e-mail; exit 1 with what to do when there is none."""
    user = get_user_by_email(session, email=email)
    if user is None:
        typer.echo(f"no user with e-mail {email}; create one with `assess user create`", err=True)
        raise typer.Exit(1)
    return user


def _new_password() -> str:
    """A password asked twice at the prompt (or read from ASSESS_NEW_PASSWORD)."""
    chosen = os.environ.get("ASSESS_NEW_PASSWORD") or str(
        typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    )
    problem = password_problem(chosen)
    if problem:
        typer.echo(f"{problem}; choose another", err=True)
        raise typer.Exit(1)
    return chosen


@apikey_app.command("create")
def apikey_create(
    email: Annotated[str, typer.Option(help="Whose key it is.")],
    name: Annotated[str, typer.Option(help="What the key is for.")] = "",
) -> None:
    """Create an API key; it is printed this once and stored only hashed."""
    with _session() as session:
        user = _existing_user(session, email)
        key, full = create_api_key(session, user=user, name=name)
        audit_now(
            session,
            CLI,
            "api_key.created",
            ("api_key", key.prefix),
            {"user_id": str(user.id)},
        )
        typer.echo(full)


@apikey_app.command("revoke")
def apikey_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix, ak_xxxxxxxx.")],
) -> None:
    """Revoke an API key by its prefix."""
    with _session() as session:
        audit(session, CLI, "api_key.revoked", ("api_key", prefix))
        if not revoke_api_key(session, prefix=prefix):
            typer.echo(f"no active key with prefix {prefix}", err=True)
            raise typer.Exit(1)
        typer.echo(f"revoked {prefix}")


def _published_sha(session: Session, questionnaire_id: str, version: int) -> str | None:
    row = get_questionnaire_version(session, questionnaire_id=questionnaire_id, version=version)
    return row.sha256 if row is not None else None


def publish(
    paths: Annotated[list[Path], typer.Argument(help="Questionnaire YAML files.")],
) -> None:
    """Publish questionnaire files to the database, each questionnaire's versions in
    ascending order whatever the order of the files (the same file again changes nothing)."""
    failed = False
    loaded: list[tuple[Questionnaire, Path]] = []
    for path in paths:
        try:
            loaded.append((load_questionnaire(path), path))
        except FileProblems as exc:
            typer.echo(str(exc), err=True)
            failed = True
    loaded.sort(key=lambda found: (found[0].id, found[0].version))
    with _session() as session:
        for questionnaire, path in loaded:
            try:
                before = _published_sha(session, questionnaire.id, questionnaire.version)
                row, created = publish_questionnaire(
                    session,
                    questionnaire_id=questionnaire.id,
                    version=questionnaire.version,
                    source=path.read_text(encoding="utf-8-sig"),
                )
            except Conflict as exc:
                typer.echo(f"{path}: {exc}", err=True)
                failed = True
                continue
            state = "published" if created else "unchanged"
            if created or row.sha256 != before:
                audit_now(
                    session,
                    CLI,
                    "questionnaire.published",
                    ("questionnaire_version", row.id),
                    {
                        "questionnaire_id": row.questionnaire_id,
                        "version": row.version,
                        "new": created,
                    },
                )
            typer.echo(f"{path}: {state} {row.questionnaire_id} v{row.version}")
    if failed:
        raise typer.Exit(1)
