"""Published questionnaire versions."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import func
from sqlmodel import Session, col, select

from assess.domain.questionnaire import Questionnaire
from assess.domain.validation import parse_questionnaire
from assess.persistence.models.assessments import Assessment
from assess.persistence.models.common import utcnow
from assess.persistence.models.questionnaires import QuestionnaireVersion
from assess.persistence.repository.common import Conflict


def publish_questionnaire(
    session: Session, *, questionnaire_id: str, version: int, source: str
) -> tuple[QuestionnaireVersion, bool]:
    """Store a validated file as (id, version); (row, created). Conflict if it is in use."""
    sha256 = hashlib.sha256(source.encode()).hexdigest()
    existing = get_questionnaire_version(
        session, questionnaire_id=questionnaire_id, version=version
    )
    if existing is not None:
        if existing.sha256 == sha256:
            return existing, False
        if questionnaire_in_use(session, version_id=existing.id):
            raise Conflict(
                f"{questionnaire_id} version {version} already has assessments and cannot "
                "change; publish the changed file with a higher `version`"
            )
        existing.source, existing.sha256, existing.created_at = source, sha256, utcnow()
        session.add(existing)
        session.commit()
        return existing, False
    row = QuestionnaireVersion(
        questionnaire_id=questionnaire_id, version=version, source=source, sha256=sha256
    )
    session.add(row)
    session.commit()
    return row, True


def questionnaire_in_use(session: Session, *, version_id: uuid.UUID) -> bool:
    """Whether any assessment uses this questionnaire version."""
    query = select(func.count()).where(Assessment.questionnaire_version_id == version_id)
    return session.exec(query).one() > 0


def get_questionnaire_version(
    session: Session, *, questionnaire_id: str, version: int | None = None
) -> QuestionnaireVersion | None:
    """A version of a questionnaire, the newest when `version` is None."""
    query = select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id
    )
    if version is not None:
        query = query.where(QuestionnaireVersion.version == version)
    return session.exec(query.order_by(col(QuestionnaireVersion.version).desc())).first()


def latest_questionnaires(session: Session) -> list[QuestionnaireVersion]:
    """The newest version of every questionnaire, by id."""
    rows = session.exec(
        select(QuestionnaireVersion).order_by(
            col(QuestionnaireVersion.questionnaire_id), col(QuestionnaireVersion.version).desc()
        )
    ).all()
    newest: dict[str, QuestionnaireVersion] = {}
    for row in rows:
        newest.setdefault(row.questionnaire_id, row)
    return list(newest.values())


def version_by_id(session: Session, *, version_id: uuid.UUID) -> QuestionnaireVersion:
    """A stored questionnaire version that a foreign key names (so it exists)."""
    version = session.get(QuestionnaireVersion, version_id)
    assert version is not None  # a foreign key guarantees it
    return version


def questionnaire_of_assessment(session: Session, *, assessment: Assessment) -> Questionnaire:
    """The questionnaire an assessment asks."""
    return questionnaire_of(version_by_id(session, version_id=assessment.questionnaire_version_id))


def questionnaire_of(version: QuestionnaireVersion) -> Questionnaire:
    """The model of a stored questionnaire version (parsed once per file content)."""
    return _parsed(version.sha256, version.source)


@lru_cache(maxsize=64)
def _parsed(sha256: str, source: str) -> Questionnaire:
    return parse_questionnaire(source, "questionnaire")


def published_versions(session: Session, *, questionnaire_id: str) -> list[int]:
    """The published version numbers of a questionnaire, ascending."""
    query = (
        select(QuestionnaireVersion.version)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .order_by(col(QuestionnaireVersion.version))
    )
    return list(session.exec(query).all())


@dataclass(frozen=True)
class PublishedQuestionnaire:
    """A questionnaire's newest version, every version published and those in use."""

    newest: QuestionnaireVersion
    versions: list[int]
    in_use: list[int]


def published_questionnaires(session: Session) -> list[PublishedQuestionnaire]:
    """Every published questionnaire by id, with its versions and those assessments use."""
    used = set(session.exec(select(Assessment.questionnaire_version_id).distinct()).all())
    rows = session.exec(
        select(QuestionnaireVersion).order_by(
            col(QuestionnaireVersion.questionnaire_id), col(QuestionnaireVersion.version).desc()
        )
    ).all()
    grouped: dict[str, list[QuestionnaireVersion]] = {}
    for row in rows:
        grouped.setdefault(row.questionnaire_id, []).append(row)
    return [
        PublishedQuestionnaire(
            newest=versions[0],
            versions=sorted(v.version for v in versions),
            in_use=sorted(v.version for v in versions if v.id in used),
        )
        for versions in grouped.values()
    ]


def earlier_version(
    session: Session, *, questionnaire_id: str, version: int
) -> QuestionnaireVersion | None:
    """The newest published version below `version`, if any."""
    query = (
        select(QuestionnaireVersion)
        .where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            QuestionnaireVersion.version < version,
        )
        .order_by(col(QuestionnaireVersion.version).desc())
    )
    return session.exec(query).first()
