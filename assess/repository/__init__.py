"""Every database query of the project. Functions take keyword-only arguments.

Split by subject; callers import the package and call `repository.<function>`.
"""

from assess.repository.accounts import (
    create_api_key,
    create_organisation,
    create_user,
    get_user_by_email,
    members_of,
    organisation_for,
    organisations_for,
    remove_membership,
    revoke_api_key,
    role_in,
    set_membership,
    user_for_api_key,
)
from assess.repository.assessments import (
    AssessmentCounts,
    assessment_for,
    assessments_of,
    counts_of,
    create_assessment,
    create_invitations,
    invitations_of,
    save_snapshot,
    set_status,
)
from assess.repository.common import Conflict, writing
from assess.repository.questionnaires import (
    get_questionnaire_version,
    latest_questionnaires,
    publish_questionnaire,
    questionnaire_in_use,
)
from assess.repository.responses import (
    Link,
    import_responses,
    link_by_token,
    save_answers,
    state_of,
    submit,
    submitted_responses,
)

__all__ = [
    "AssessmentCounts",
    "Conflict",
    "Link",
    "assessment_for",
    "assessments_of",
    "counts_of",
    "create_api_key",
    "create_assessment",
    "create_invitations",
    "create_organisation",
    "create_user",
    "get_questionnaire_version",
    "get_user_by_email",
    "import_responses",
    "invitations_of",
    "latest_questionnaires",
    "link_by_token",
    "members_of",
    "organisation_for",
    "organisations_for",
    "publish_questionnaire",
    "questionnaire_in_use",
    "remove_membership",
    "revoke_api_key",
    "role_in",
    "save_answers",
    "save_snapshot",
    "set_membership",
    "set_status",
    "state_of",
    "submit",
    "submitted_responses",
    "user_for_api_key",
    "writing",
]
