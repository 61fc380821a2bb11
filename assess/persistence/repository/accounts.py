"""Users, API keys, organisations and who may see which."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from assess.persistence.models.accounts import ApiKey, Membership, Role, User
from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.common import Conflict
from assess.persistence.repository.demo import in_scope
from assess.persistence.security import new_api_key, secret_matches, split_api_key


def user_by_id(session: Session, *, user_id: uuid.UUID) -> User | None:
    """A user by their id (a job's owner); None if they are gone."""
    return session.get(User, user_id)


def create_user(
    session: Session,
    *,
    email: str,
    name: str = "",
    is_admin: bool = False,
    is_researcher: bool = False,
) -> User:
    """A new user; Conflict if the e-mail is taken."""
    user = User(
        email=email.strip().lower(), name=name, is_admin=is_admin, is_researcher=is_researcher
    )
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise Conflict(f"a user with e-mail {email} exists already") from None
    return user


def get_user_by_email(session: Session, *, email: str) -> User | None:
    """The user with this e-mail."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def create_api_key(session: Session, *, user: User, name: str = "") -> tuple[ApiKey, str]:
    """A new key for `user` and its full text, which is never stored."""
    made = new_api_key()
    key = ApiKey(user_id=user.id, prefix=made.prefix, secret_hash=made.secret_hash, name=name)
    session.add(key)
    session.commit()
    return key, made.full


def user_for_api_key(session: Session, *, presented: str) -> User | None:
    """The user of a presented, unrevoked key; None for anything else."""
    parts = split_api_key(presented)
    if parts is None:
        return None
    prefix, secret = parts
    key = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if key is None or key.revoked_at is not None or not secret_matches(secret, key.secret_hash):
        return None
    return session.get(User, key.user_id)


def revoke_api_key(session: Session, *, prefix: str) -> bool:
    """Revoke a key by its prefix; False if there is no such active key."""
    result = session.execute(
        update(ApiKey)
        .where(col(ApiKey.prefix) == prefix, col(ApiKey.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    session.commit()
    return bool(getattr(result, "rowcount", 0))


def create_organisation(
    session: Session,
    *,
    name: str,
    creator: User,
    industry: str | None = None,
    size: str | None = None,
    country: str | None = None,
) -> Organisation:
    """A new organisation; its creator serves it as consultant."""
    organisation = Organisation(name=name, industry=industry, size=size, country=country)
    session.add(organisation)
    session.flush()
    session.add(
        Membership(user_id=creator.id, organisation_id=organisation.id, role=Role.consultant)
    )
    session.commit()
    return organisation


def organisation_for(
    session: Session, *, user: User, organisation_id: uuid.UUID
) -> Organisation | None:
    """The organisation if `user` may see it (a member, or an admin); else None."""
    query = select(Organisation).where(Organisation.id == organisation_id)
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    return session.exec(query).first()


def role_in(session: Session, *, user: User, organisation_id: uuid.UUID) -> Role | None:
    """The user's role in an organisation, if any."""
    membership = session.exec(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user.id
        )
    ).first()
    return Role(membership.role) if membership else None


def organisations_for(
    session: Session,
    *,
    user: User,
    search: str = "",
    offset: int = 0,
    limit: int | None = None,
) -> Sequence[Organisation]:
    """Organisations `user` may see, by name; with `search`, those whose name holds it."""
    query = _visible(user, search).order_by(col(Organisation.name), col(Organisation.id))
    return session.exec(query.offset(offset).limit(limit)).all()


def count_organisations_for(session: Session, *, user: User, search: str = "") -> int:
    """How many organisations `organisations_for` would give without offset and limit."""
    return session.exec(select(func.count()).select_from(_visible(user, search).subquery())).one()


def _visible(user: User, search: str) -> SelectOfScalar[Organisation]:
    query = select(Organisation)
    if not user.is_admin:
        query = query.join(Membership).where(Membership.user_id == user.id)
    else:  # the real organisations, not those `assess demo generate` put beside them
        query = query.where(in_scope(col(Organisation.is_demo)))
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(col(Organisation.name).ilike(f"%{escaped}%", escape="\\"))
    return query


def members_of(session: Session, *, organisation_id: uuid.UUID) -> list[tuple[User, Role]]:
    """The people of an organisation with their roles, by e-mail."""
    rows = session.exec(
        select(User, Membership.role)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(Membership.organisation_id == organisation_id)
        .order_by(col(User.email))
    ).all()
    return [(user, Role(role)) for user, role in rows]


def set_membership(session: Session, *, organisation_id: uuid.UUID, user: User, role: Role) -> bool:
    """Give `user` a role in the organisation (or change it); True if newly added.

    Conflict if this would leave the organisation without a consultant.
    """
    membership = session.exec(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user.id
        )
    ).first()
    added = membership is None
    if membership is None:
        membership = Membership(user_id=user.id, organisation_id=organisation_id, role=role)
    elif membership.role == Role.consultant and role != Role.consultant:
        _keep_a_consultant(session, organisation_id=organisation_id, leaving=user.id)
    membership.role = role
    session.add(membership)
    session.commit()
    return added


def remove_membership(session: Session, *, organisation_id: uuid.UUID, user_id: uuid.UUID) -> bool:
    """Take a user out of an organisation; False if they were not in it.

    Conflict if they are its last consultant.
    """
    membership = session.exec(
        select(Membership).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user_id
        )
    ).first()
    if membership is None:
        return False
    if membership.role == Role.consultant:
        _keep_a_consultant(session, organisation_id=organisation_id, leaving=user_id)
    session.delete(membership)
    session.commit()
    return True


def _keep_a_consultant(session: Session, *, organisation_id: uuid.UUID, leaving: uuid.UUID) -> None:
    others = session.exec(
        select(Membership.id).where(
            Membership.organisation_id == organisation_id,
            Membership.role == Role.consultant,
            Membership.user_id != leaving,
        )
    ).first()
    if others is None:
        raise Conflict(
            "an organisation needs at least one consultant; make someone else consultant first"
        )
