"""A folder of questionnaires keeps every version of each id: `id` names the newest,
`id@version` one of them, and a reference to a version that is not there says which are;
peer groups take their attributes from the newest version of the default questionnaire,
whose industry, size and country options every version keeps."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assess.domain.attributes import attribute_choices
from assess.domain.catalogue import (
    BUNDLED,
    Catalogue,
    UnknownReference,
    default_questionnaire,
    parse_reference,
    questionnaire_file,
)
from tests.conftest import QUESTIONNAIRES
from tests.second_version import bundled_pair


def test_every_version_is_kept_and_the_id_alone_names_the_newest(tmp_path: Path) -> None:
    catalogue = Catalogue(bundled_pair(tmp_path))
    assert sorted(catalogue.versions["cx-maturity"]) == [1, 2]
    newest = catalogue.get("cx-maturity")
    assert newest is not None
    assert newest.questionnaire.version == 2
    assert newest.path.name == "cx-maturity-v2.yaml"
    assert catalogue.entry("cx-maturity@1").path.name == "cx-maturity.yaml"
    assert catalogue.entry("cx-maturity").questionnaire.version == 2


def test_a_version_that_is_not_there_names_those_that_are(tmp_path: Path) -> None:
    catalogue = Catalogue(bundled_pair(tmp_path))
    with pytest.raises(UnknownReference) as missing:
        catalogue.entry("cx-maturity@3")
    assert str(missing.value) == (
        "cx-maturity@3: there is no version 3 of cx-maturity; use one of cx-maturity@1, "
        "cx-maturity@2"
    )
    with pytest.raises(UnknownReference, match="bundled: cx-maturity"):
        catalogue.entry("cx-reife@1")
    with pytest.raises(UnknownReference, match=r"whole number after @, e\.g\. cx-maturity@1"):
        catalogue.entry("cx-maturity@two")


def test_a_path_stays_a_path_and_an_id_becomes_its_bundled_file(tmp_path: Path) -> None:
    folder = bundled_pair(tmp_path / "bundled")
    assert questionnaire_file("cx-maturity@1", folder) == folder / "cx-maturity.yaml"
    assert questionnaire_file("cx-maturity", folder) == folder / "cx-maturity-v2.yaml"
    assert questionnaire_file("mine.yaml", folder) == Path("mine.yaml")
    assert parse_reference("cx-maturity@12") == ("cx-maturity", 12)
    assert parse_reference("cx-maturity") == ("cx-maturity", None)


def test_two_files_of_one_version_are_a_problem_naming_both(tmp_path: Path) -> None:
    folder = bundled_pair(tmp_path)
    shutil.copy(folder / "cx-maturity.yaml", folder / "copy.yaml")
    catalogue = Catalogue(folder)
    assert [str(p) for p in catalogue.problems] == [
        f"{folder / 'cx-maturity.yaml'}:1:1: cx-maturity version 1 is also copy.yaml: "
        "give one of them another `version`"
    ]
    assert sorted(catalogue.versions["cx-maturity"]) == [1, 2]


def test_peer_groups_take_their_attributes_from_the_newest_default_version(
    tmp_path: Path,
) -> None:
    assert default_questionnaire(bundled_pair(tmp_path)).name == "cx-maturity-v2.yaml"
    assert (
        default_questionnaire()
        == max(
            Catalogue(BUNDLED).versions["cx-maturity"].values(),
            key=lambda e: e.questionnaire.version,
        ).path
    )


@pytest.mark.parametrize("folder", ["bundled", "with a second version"])
def test_every_version_of_the_default_offers_the_same_industry_size_and_country(
    folder: str, tmp_path: Path
) -> None:
    found = QUESTIONNAIRES if folder == "bundled" else bundled_pair(tmp_path)
    versions = Catalogue(found).versions["cx-maturity"].values()
    choices = [attribute_choices(entry.questionnaire) for entry in versions]
    values = [{a: [o.value for o in options] for a, options in c.items()} for c in choices]
    assert set(values[0]) == {"industry", "size", "country"}
    assert all(other == values[0] for other in values[1:])
