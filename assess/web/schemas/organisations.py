"""The API's bodies about organisations: their attributes, which peer groups are formed by."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from assess.domain.catalogue import organisation_choices
from assess.web.schemas.fields import Moment


def _values(attribute: str) -> list[str]:
    return [option.value for option in organisation_choices()[attribute]]


def _one_of(attribute: str) -> Callable[[str], str]:
    """A check that a value is one of the attribute's options, naming them if not."""
    values = _values(attribute)

    def check(value: str) -> str:
        if value not in values:
            raise PydanticCustomError(
                "not_an_option",
                "{value} is not one of the options; choose one of: {allowed}",
                {"value": repr(value), "allowed": ", ".join(values)},
            )
        return value

    return check


# The attributes peer groups are formed by take the default questionnaire's option values,
# so that every organisation lands in the groups of the others that chose the same.
Industry = Annotated[
    str,
    AfterValidator(_one_of("industry")),
    WithJsonSchema({"type": "string", "enum": _values("industry")}),
]
SizeBand = Annotated[
    str,
    AfterValidator(_one_of("size")),
    WithJsonSchema({"type": "string", "enum": _values("size")}),
]
Country = Annotated[
    str,
    AfterValidator(_one_of("country")),
    WithJsonSchema({"type": "string", "enum": _values("country")}),
]


class OrganisationAttributes(BaseModel):
    """What peer groups are formed by: option values of the default questionnaire's
    profile questions; none where not given."""

    model_config = ConfigDict(extra="forbid")
    industry: Industry | None = Field(default=None, examples=["retail"])
    size: SizeBand | None = Field(default=None, examples=["250-999"])
    country: Country | None = Field(default=None, examples=["de"])


class OrganisationCreate(OrganisationAttributes):
    """A new organisation (tenant)."""

    name: str = Field(min_length=1, max_length=200, examples=["Muster GmbH"])


class OrganisationPublic(BaseModel):
    """An organisation as the API shows it."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    name: str = Field(examples=["Muster GmbH"])
    industry: str | None = Field(examples=["retail"])
    size: str | None = Field(examples=["250-999"])
    country: str | None = Field(examples=["de"])
    unmatched_attributes: dict[str, str] = Field(
        description="Values entered as free text before the attributes became choices "
        "that match no option; they count in no peer group until an option is chosen.",
        examples=[{"industry": "Lebensmittel"}],
    )
    benchmark_opt_in: bool
    created_at: Moment
