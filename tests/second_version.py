"""A version 2 of the bundled cx-maturity questionnaire for tests, shaped as the real one
is planned: the same four levels, stages renamed, some items kept (one reworded, one
offering "can't judge"), others removed or added, facts asked of the lead, importance asked once per
level, and industry, size and country unchanged."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import QUESTIONNAIRES
from tests.factories import boolean_item, choice_item, scale_item

FIRST = QUESTIONNAIRES / "cx-maturity.yaml"

STAGES = {  # version 1's stage -> version 2's, by where they start
    "lip-service": "lip-service",
    "awakening": "evangelists",
    "structured": "departments",
    "integrated": "orchestrated",
    "customer-passion": "customer-passion",
}
NAMES = {
    "evangelists": ("Einzelkämpfer", "Lone evangelists"),
    "departments": ("Abteilungsinitiativen", "Department initiatives"),
    "orchestrated": ("Übergreifend gesteuert", "Steered across departments"),
}
REMOVED = {
    "strategy": ["strategy-growth-goals", "strategy-owner"],
    "orchestration": ["orchestration-cx-manager", "orchestration-governance"],
    "tactics": ["tactics-nps", "tactics-feedback-use"],
    "culture": ["culture-crowdsourcing"],
}


def added_items() -> dict[str, list[dict[str, Any]]]:
    """New items per level, as version 2 asks them."""
    lead = {"informant": "lead", "allow_dont_know": True}
    return {
        "strategy": [
            scale_item("strategy-goals-enthusiasm", weight=2, allow_dont_know=True),
            scale_item("strategy-share-of-customer", allow_dont_know=True),
            choice_item(
                "strategy-anchoring",
                {"nowhere": 0, "spread": 20, "one-department": 40, "cx-unit": 70, "top": 100},
                informant="lead",
            ),
        ],
        "orchestration": [
            scale_item("orchestration-nonlinear", allow_dont_know=True),
            scale_item("orchestration-spread-thin", reverse=True),
            choice_item(
                "orchestration-cx-role",
                {"none": 0, "part-of-other-job": 35, "cx-manager": 70, "c-level": 100},
                **lead,
            ),
        ],
        "tactics": [
            scale_item("tactics-exceed-expectations", allow_dont_know=True),
            choice_item(
                "tactics-nps-frequency",
                {"never": 0, "irregular": 25, "yearly": 50, "quarterly": 75, "continuous": 100},
                **lead,
            ),
        ],
        "culture": [
            scale_item("culture-try-things", allow_dont_know=True),
            boolean_item("culture-customer-ideas", **lead),
        ],
    }


def second_version_data() -> dict[str, Any]:
    """The plain data of the version 2 that tests compare with the bundled version 1."""
    data = yaml.safe_load(FIRST.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["version"] = 2
    data["importance"] = {
        "min": 1,
        "max": 5,
        "text": {"de": "Wie wichtig ist diese Ebene?", "en": "How important is this level?"},
    }
    for stage in data["stages"]:
        stage["id"] = STAGES[stage["id"]]
        if stage["id"] in NAMES:
            stage["name"] = dict(zip(("de", "en"), NAMES[stage["id"]], strict=True))
    new = added_items()
    for level in data["dimensions"]:
        level["items"] = [i for i in level["items"] if i["id"] not in REMOVED[level["id"]]]
        level["items"] += new[level["id"]]
        for advice in level["recommendations"]:
            if "stages" in advice["when"]:
                advice["when"]["stages"] = [STAGES[s] for s in advice["when"]["stages"]]
    items = {i["id"]: i for level in data["dimensions"] for i in level["items"]}
    items["strategy-purpose"]["allow_dont_know"] = True
    items["culture-no-silos"]["text"]["de"] = "Jede Abteilung sieht ihren Anteil am Kundenerlebnis."
    data["profile"] = [q for q in data["profile"] if not q["id"].startswith("cx_")]
    return data


def bundled_pair(folder: Path) -> Path:
    """A questionnaires folder holding version 1 as bundled and this version 2."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cx-maturity.yaml").write_bytes(FIRST.read_bytes())
    (folder / "cx-maturity-v2.yaml").write_text(
        yaml.safe_dump(second_version_data(), allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    return folder
