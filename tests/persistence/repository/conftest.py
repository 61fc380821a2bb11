"""Fixtures of the repository tests."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from assess.persistence.repository.questionnaires import publish_questionnaire
from tests.conftest import SERVICE_CHECK
from tests.persistence.repository.pools import Pool


@pytest.fixture
def pool(session: Session) -> Pool:
    """An empty pool, with the service-check questionnaire published."""
    source = SERVICE_CHECK.read_text(encoding="utf-8")
    row, _ = publish_questionnaire(
        session, questionnaire_id="service-check", version=1, source=source
    )
    return Pool(session, row.id)
