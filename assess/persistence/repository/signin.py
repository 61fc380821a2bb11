"""Signing in with a password: browser sessions, failed attempts, and passwords."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from assess.persistence.models.accounts import SignInFailure, User, WebSession
from assess.persistence.models.common import utcnow
from assess.persistence.repository.common import writing
from assess.persistence.security import (
    digest,
    hash_password,
    new_session_token,
    password_matches,
    password_needs_rehash,
)


def set_password(session: Session, *, user: User, password: str) -> None:
    """Give a user a new password; every browser signed in as them is signed out."""
    user.password_hash = hash_password(password)
    session.add(user)
    with writing(session):
        session.execute(delete(WebSession).where(col(WebSession.user_id) == user.id))
        session.commit()


def anyone_has_a_password(session: Session) -> bool:
    """Whether any user can sign in with a password yet."""
    found = session.exec(select(User.id).where(col(User.password_hash).is_not(None)).limit(1))
    return found.first() is not None


def user_for_password(session: Session, *, email: str, password: str) -> User | None:
    """The user with this e-mail and password; None otherwise (taking as long either way).
    A hash made with weaker parameters than today's is replaced."""
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    stored = user.password_hash if user else None
    if user is None or stored is None or not password_matches(password, stored):
        if user is None or stored is None:
            password_matches(password, None)  # as long as a wrong password takes
        return None
    if password_needs_rehash(stored):
        user.password_hash = hash_password(password)
        session.add(user)
        with writing(session):
            session.commit()
    return user


def start_web_session(session: Session, *, user: User, lifetime: timedelta) -> str:
    """A new browser session for `user`; its token, which only the cookie keeps."""
    token = new_session_token()
    session.add(
        WebSession(user_id=user.id, token_hash=digest(token), expires_at=utcnow() + lifetime)
    )
    with writing(session):
        session.commit()
    return token


def user_for_web_session(session: Session, *, token: str) -> User | None:
    """The user of an unexpired browser session; None for any other string."""
    row = session.exec(
        select(User)
        .join(WebSession, col(WebSession.user_id) == col(User.id))
        .where(WebSession.token_hash == digest(token), WebSession.expires_at > utcnow())
    ).first()
    return row


def end_web_session(session: Session, *, token: str) -> None:
    """Sign a browser out; expired sessions are cleared on the way."""
    with writing(session):
        session.execute(
            delete(WebSession).where(
                (col(WebSession.token_hash) == digest(token))
                | (col(WebSession.expires_at) <= utcnow())
            )
        )
        session.commit()


def record_sign_in_failure(session: Session, *, keys: list[str]) -> None:
    """Count a failed sign-in under each key (an e-mail, an address), by hash."""
    now = utcnow()
    session.add_all(SignInFailure(key_hash=digest(key), at=now) for key in keys)
    with writing(session):
        session.commit()


def sign_in_failures_since(session: Session, *, key: str, since: datetime) -> int:
    """Failed sign-ins counted under `key` since a moment, up to now: those stamped later
    came before the clock was set back, and would make the wait last that much longer."""
    return session.exec(
        select(func.count()).where(
            SignInFailure.key_hash == digest(key),
            SignInFailure.at > since,
            SignInFailure.at <= utcnow(),
        )
    ).one()


def forget_sign_in_failures(session: Session, *, keys: list[str], before: datetime) -> None:
    """Clear failures of keys that signed in, and everyone's older than `before`."""
    hashes = [digest(key) for key in keys]
    with writing(session):
        session.execute(
            delete(SignInFailure).where(
                col(SignInFailure.key_hash).in_(hashes) | (col(SignInFailure.at) < before)
            )
        )
        session.commit()
