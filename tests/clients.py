"""Real clients in the benchmark pool, for tests that put demo data beside them."""

from __future__ import annotations

from sqlmodel import Session

from assess.domain.answers import to_stored
from assess.domain.scoring import score_assessment
from assess.domain.synthetic import latent_model, organisations
from assess.persistence.models.assessments import AssessmentStatus
from assess.persistence.models.organisations import Organisation
from assess.persistence.repository.accounts import create_organisation
from assess.persistence.repository.assessments import create_assessment, save_snapshot, set_status
from assess.persistence.repository.benchmarks import set_opt_in
from assess.persistence.repository.questionnaires import (
    get_questionnaire_version,
    publish_questionnaire,
    questionnaire_of,
)
from assess.persistence.repository.responses import import_responses, submitted_responses
from tests.conftest import QUESTIONNAIRES, make_caller


def real_clients(session: Session, *names: str) -> list[Organisation]:
    """Real clients (retail, 250-999, de) that take part in benchmarks, each with a closed
    assessment of five submitted responses and the score snapshot closing keeps."""
    version = get_questionnaire_version(session, questionnaire_id="cx-maturity")
    if version is None:
        source = (QUESTIONNAIRES / "cx-maturity.yaml").read_text(encoding="utf-8")
        version, _ = publish_questionnaire(
            session, questionnaire_id="cx-maturity", version=1, source=source
        )
    model = questionnaire_of(version)
    answered = next(
        organisations(model, latent_model(model, 7), count=len(names), respondents=5, seed=7)
    )
    made = []
    for name, synthetic in zip(names, answered, strict=True):
        creator = make_caller(session, f"{name.split()[0].lower()}@example.org").user
        organisation = create_organisation(
            session, name=name, creator=creator, industry="retail", size="250-999", country="de"
        )
        set_opt_in(session, organisation=organisation, opt_in=True, k=5)
        assessment = create_assessment(
            session, organisation=organisation, version=version, name="CX 2026"
        )
        stored = [to_stored(r) for r in synthetic.responses]
        import_responses(
            session, assessment=assessment, responses=synthetic.responses, stored=stored
        )
        session.commit()
        set_status(session, assessment=assessment, status=AssessmentStatus.closed)
        responses = submitted_responses(session, assessment_id=assessment.id)
        result = score_assessment(model, responses).to_dict()
        save_snapshot(session, assessment_id=assessment.id, result=result, k=5)
        made.append(organisation)
    return made
