"""The questionnaire files of a folder, validated, by id."""

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


@dataclass(frozen=True)
class Entry:
    """One questionnaire file: its model, where it lies and the hash of its bytes."""

    questionnaire: Questionnaire
    path: Path
    sha256: str


class Catalogue:
    """Valid questionnaires of a folder (newest version per id); problems of the others."""

    def __init__(self, folder: Path) -> None:
        self.entries: dict[str, Entry] = {}
        self.problems: list[Problem] = []
        for path in sorted(folder.glob("*.y*ml")):
            try:
                questionnaire = load_questionnaire(path)
            except FileProblems as exc:
                self.problems += exc.problems
                continue
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            current = self.entries.get(questionnaire.id)
            if current is None or current.questionnaire.version < questionnaire.version:
                self.entries[questionnaire.id] = Entry(questionnaire, path, digest)

    def get(self, questionnaire_id: str) -> Entry | None:
        """The entry with this id, if the folder has it."""
        return self.entries.get(questionnaire_id)


def questionnaire_file(reference: str, folder: Path) -> Path | None:
    """The file a command-line reference names: a path as given, or the file of the
    bundled questionnaire (in `folder`) with that id; None if it is neither."""
    path = Path(reference)
    if path.exists() or "/" in reference or reference.endswith((".yaml", ".yml")):
        return path
    entry = Catalogue(folder).get(reference)
    return entry.path if entry is not None else None


# Peer groups compare organisations of every pool by the same attributes, so their values
# come from one questionnaire: the bundled default one.
DEFAULT_QUESTIONNAIRE = (
    Path(str(importlib.resources.files("assess.questionnaires"))) / "cx-maturity.yaml"
)


@lru_cache(maxsize=1)
def organisation_choices() -> dict[str, list[ProfileOption]]:
    """The options of the attributes peer groups are formed by (industry, size, country),
    as the default questionnaire's organisation profile offers them."""
    return attribute_choices(load_questionnaire(DEFAULT_QUESTIONNAIRE))
