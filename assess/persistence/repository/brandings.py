"""A consultant's branding: the saved one and the draft being previewed."""

from __future__ import annotations

import uuid

from sqlmodel import Session

from assess.persistence.models.common import utcnow
from assess.persistence.models.organisations import SavedBranding
from assess.persistence.repository.common import writing


def branding_of(
    session: Session, *, user_id: uuid.UUID, draft: bool = False
) -> SavedBranding | None:
    """The user's saved branding (or their draft), if there is one."""
    return session.get(SavedBranding, (user_id, draft))


def keep_branding(
    session: Session, *, user_id: uuid.UUID, accent: str, logo: bytes | None, draft: bool
) -> SavedBranding:
    """Keep a branding checked by the caller as the user's draft or saved one, replacing
    the one there was."""
    with writing(session):
        kept = session.get(SavedBranding, (user_id, draft)) or SavedBranding(
            user_id=user_id, draft=draft, accent=accent
        )
        kept.accent, kept.logo, kept.updated_at = accent, logo, utcnow()
        session.add(kept)
        session.commit()
    return kept


def save_draft_branding(session: Session, *, user_id: uuid.UUID) -> bool:
    """Make the user's draft their saved branding; False when there is no draft."""
    with writing(session):
        draft = session.get(SavedBranding, (user_id, True))
        if draft is None:
            return False
        saved = session.get(SavedBranding, (user_id, False)) or SavedBranding(
            user_id=user_id, draft=False, accent=draft.accent
        )
        saved.accent, saved.logo, saved.updated_at = draft.accent, draft.logo, utcnow()
        session.add(saved)
        session.delete(draft)
        session.commit()
    return True


def remove_branding(session: Session, *, user_id: uuid.UUID, draft: bool) -> None:
    """Forget the user's draft, or their saved branding (reports then use the default
    colour and no logo)."""
    with writing(session):
        kept = session.get(SavedBranding, (user_id, draft))
        if kept is not None:
            session.delete(kept)
            session.commit()
