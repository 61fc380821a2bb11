"""The questionnaire files of a folder, validated, by id and version."""

from __future__ import annotations

import hashlib
import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assess.domain.attributes import attribute_choices
from assess.domain.questionnaire import ProfileOption, Questionnaire
from assess.domain.validation import load_questionnaire
from assess.domain.yamlfile import FileProblems, Problem

BUNDLED = Path(str(importlib.resources.files("assess.questionnaires")))
# Peer groups compare organisations of every pool by the same attributes, so their values
# come from one questionnaire: the newest bundled version of the default one (every
# version keeps the options of industry, size and country).
DEFAULT_ID = "cx-maturity"


@dataclass(frozen=True)
class Entry:
    """One questionnaire file: its model, where it lies and the hash of its bytes."""

    questionnaire: Questionnaire
    path: Path
    sha256: str


class UnknownReference(ValueError):
    """A reference that names no file and no bundled questionnaire version; the message
    says which there are."""


class Catalogue:
    """Valid questionnaires of a folder, every version of each id; problems of the others."""

    def __init__(self, folder: Path) -> None:
        self.versions: dict[str, dict[int, Entry]] = {}
        self.problems: list[Problem] = []
        for path in sorted(folder.glob("*.y*ml")):
            try:
                questionnaire = load_questionnaire(path)
            except FileProblems as exc:
                self.problems += exc.problems
                continue
            same = self.versions.setdefault(questionnaire.id, {})
            other = same.get(questionnaire.version)
            if other is not None:
                self.problems.append(
                    Problem(
                        str(path),
                        1,
                        1,
                        f"{questionnaire.id} version {questionnaire.version} is also "
                        f"{other.path.name}: give one of them another `version`",
                    )
                )
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            same[questionnaire.version] = Entry(questionnaire, path, digest)

    def get(self, questionnaire_id: str, version: int | None = None) -> Entry | None:
        """The entry of this id and version (the newest when `version` is None), if the
        folder has it."""
        same = self.versions.get(questionnaire_id, {})
        if version is None:
            return same[max(same)] if same else None
        return same.get(version)

    def entry(self, reference: str) -> Entry:
        """The entry a reference names: `id` (its newest version) or `id@version`;
        UnknownReference, saying which there are, if the folder has none."""
        questionnaire_id, version = parse_reference(reference)
        entry = self.get(questionnaire_id, version)
        if entry is not None:
            return entry
        numbers = sorted(self.versions.get(questionnaire_id, {}))
        if numbers:
            listed = ", ".join(f"{questionnaire_id}@{n}" for n in numbers)
            raise UnknownReference(
                f"{reference}: there is no version {version} of {questionnaire_id}; "
                f"use one of {listed}"
            )
        known = ", ".join(sorted(self.versions)) or "none"
        raise UnknownReference(
            f"{reference}: no such file, and no bundled questionnaire has the id "
            f"'{questionnaire_id}' (bundled: {known})"
        )


def parse_reference(reference: str) -> tuple[str, int | None]:
    """The id and version a reference names: `cx-maturity` (version None: the newest)
    or `cx-maturity@2`; UnknownReference if the version is no whole number."""
    questionnaire_id, at, number = reference.partition("@")
    if not at:
        return reference, None
    if not number.isdigit() or int(number) < 1:
        raise UnknownReference(
            f"{reference}: write the version as a whole number after @, e.g. {questionnaire_id}@1"
        )
    return questionnaire_id, int(number)


def questionnaire_file(reference: str, folder: Path) -> Path:
    """The file a command-line reference names: a path as given, or the file of the
    bundled questionnaire (in `folder`) of that `id` or `id@version`; UnknownReference,
    saying which there are, if it is neither."""
    path = Path(reference)
    if path.exists() or "/" in reference or reference.endswith((".yaml", ".yml")):
        return path
    return Catalogue(folder).entry(reference).path


def default_questionnaire(folder: Path = BUNDLED) -> Path:
    """The file of the newest version of the default questionnaire in `folder`."""
    entry = Catalogue(folder).get(DEFAULT_ID)
    if entry is None:
        raise FileNotFoundError(f"{folder} holds no valid {DEFAULT_ID} questionnaire")
    return entry.path


@lru_cache(maxsize=1)
def organisation_choices() -> dict[str, list[ProfileOption]]:
    """The options of the attributes peer groups are formed by (industry, size, country),
    as the newest version of the default questionnaire's organisation profile offers them."""
    return attribute_choices(load_questionnaire(default_questionnaire()))
