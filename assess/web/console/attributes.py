"""The attributes peer groups are formed by (industry, size band, country) in the
console: chosen from the default questionnaire's options, shown by their labels, and
changed on an organisation's page (see `dashboard`)."""

from __future__ import annotations

from assess.domain.attributes import ATTRIBUTES, option_label
from assess.domain.catalogue import organisation_choices
from assess.domain.questionnaire import localized
from assess.persistence.models.organisations import Organisation
from assess.web.schemas.organisations import OrganisationAttributes


def attribute_options(language: str) -> dict[str, list[tuple[str, str]]]:
    """Per attribute, its options as (value, label in `language`) for a select."""
    return {
        attribute: [(o.value, localized(o.label, language)) for o in options]
        for attribute, options in organisation_choices().items()
    }


def attribute_labels(organisation: Organisation, language: str) -> dict[str, str]:
    """The organisation's attributes that are given, by their labels in `language`."""
    choices = organisation_choices()
    return {
        attribute: option_label(choices, attribute, value, language)
        for attribute in ATTRIBUTES
        if (value := getattr(organisation, attribute))
    }


def entered_attributes(form_fields: dict[str, str]) -> OrganisationAttributes:
    """The attributes a form chose ("" for not given); ValidationError for a value that
    is no option."""
    return OrganisationAttributes(**{a: form_fields.get(a) or None for a in ATTRIBUTES})
