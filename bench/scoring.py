"""Score N respondents x 40 items from CSV to JSON, against parsing the same CSV alone.

Run: .venv/bin/python -m bench.scoring [--respondents 100000] [--repeat 3]
Targets: the whole path (decode, check every cell, score, group, JSON) in under 3x the
time the csv module needs just to split the same file into rows; and with a
questionnaire that uses every addition for advice (importance of every dimension, lead
items, "can't judge" allowed and given, 10 recommendations with item rules and
dependencies), the whole path with advice in at most 2.5x.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import time
from collections.abc import Callable
from typing import Any

from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import score_answers

DIMENSIONS = ("strategy", "orchestration", "tactics", "culture")
ITEMS_PER_DIMENSION = 10
DEPARTMENTS = ("marketing", "sales", "service", "management")
ITEMS = len(DIMENSIONS) * ITEMS_PER_DIMENSION


def bench_questionnaire(*, advice: bool = False) -> Questionnaire:
    """40 items over four dimensions: scale (some reversed), choice and boolean items;
    with `advice`, every addition of the format for advice (see `with_advice`)."""
    text = {"de": "Aussage", "en": "Statement"}
    options = [
        {"value": v, "label": text, "score": s}
        for v, s in (("none", 0), ("some", 50), ("all", 100))
    ]
    dimensions = []
    for d in DIMENSIONS:
        items = []
        for i in range(ITEMS_PER_DIMENSION):
            item: dict[str, object] = {"id": f"{d}-{i}", "text": text}
            if i == 8:
                item |= {"type": "choice", "options": options}
            elif i == 9:
                item |= {"type": "boolean"}
            else:
                item |= {"type": "scale", "reverse": i == 7, "weight": 1 + i % 3}
            items.append(item)
        dimensions.append({"id": d, "name": text, "items": items})
    data: dict[str, object] = {
        "id": "bench",
        "version": 1,
        "languages": ["de", "en"],
        "title": text,
        "scale": {"min": 1, "max": 5},
        "stages": [
            {"id": s, "min_score": m, "name": text}
            for s, m in (("a", 0), ("b", 20), ("c", 40), ("d", 60), ("e", 80))
        ],
        "dimensions": dimensions,
        "profile": [
            {
                "id": "department",
                "type": "choice",
                "scope": "respondent",
                "text": text,
                "options": [{"value": v, "label": text} for v in DEPARTMENTS],
            }
        ],
    }
    if advice:
        with_advice(data, dimensions)
    return Questionnaire.model_validate(data, context={"languages": ["de", "en"]})


def with_advice(data: dict[str, object], dimensions: list[dict[str, Any]]) -> None:
    """Importance of every dimension; each dimension's boolean item asked of the lead;
    "can't judge" allowed on its scale items; 10 recommendations over the four
    dimensions, each with an item rule, some with a second condition, six depending on
    another (across dimensions too)."""
    text = {"de": "Aussage", "en": "Statement"}
    data["importance"] = {"min": 1, "max": 5, "text": text}
    for dimension in dimensions:
        for item in dimension["items"]:
            if item.get("type") == "boolean":
                item["informant"] = "lead"
            elif item.get("type") == "scale":
                item["allow_dont_know"] = True
        dimension["stages"] = {"c": {"description": text}}
        dimension["recommendations"] = []
    rules: list[tuple[str, int, dict[str, object], list[str]]] = [
        ("strategy", 0, {"below": 80}, []),
        ("strategy", 9, {}, ["strategy-0"]),
        ("strategy", 3, {"stages": ["a", "b", "c", "d"]}, ["orchestration-9"]),
        ("orchestration", 9, {}, []),
        ("orchestration", 1, {"dont_know": {"at_least": 0.01}}, ["strategy-0"]),
        ("orchestration", 8, {"at_least": 0}, []),
        ("tactics", 2, {"divergence": {"at_least": 0}}, ["tactics-5"]),
        ("tactics", 5, {}, []),
        ("culture", 4, {"below": 90}, ["strategy-9", "tactics-2"]),
        ("culture", 6, {}, ["culture-4"]),
    ]
    by_id = {d["id"]: d for d in dimensions}
    for number, (dimension_id, item, when, depends_on) in enumerate(rules):
        item_id = f"{dimension_id}-{item}"
        by_id[dimension_id]["recommendations"].append(
            {
                "id": item_id,
                "when": {"items": {item_id: {"below": 101}}, **when},
                "horizon": ("now", "next", "later")[number % 3],
                "priority": 1 + number % 2,
                "owner": text,
                "measure": text,
                "depends_on": depends_on,
                "text": text,
            }
        )


def answers_csv(questionnaire: Questionnaire, respondents: int, seed: int = 7) -> bytes:
    """A realistic answers file: mostly answered, some skipped and not-applicable cells;
    where the questionnaire has the additions for advice, a lead (the first respondent,
    the only one to answer lead items), importance of each dimension and some "can't
    judge" cells."""
    rng = random.Random(seed)
    ids = questionnaire.item_ids()
    advice = questionnaire.importance is not None
    lead_items = {i.id for _, i in questionnaire.items() if i.informant == "lead"}
    extra = ["lead", *(f"importance:{d}" for d in DIMENSIONS)] if advice else []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent", "department", *extra, *ids])
    for r in range(respondents):
        row = [f"r{r}", DEPARTMENTS[r % 4]]
        if advice:
            row += ["yes" if r == 0 else ""]
            row += [str(rng.randint(2, 5)) if rng.random() > 0.05 else "" for _ in DIMENSIONS]
        for item_id in ids:
            roll = rng.random()
            if roll < 0.03 or (item_id in lead_items and r != 0):
                row.append("")
            elif roll < 0.05:
                row.append("na")
            elif roll < 0.07 and advice and not item_id.endswith(("-8", "-9")):
                row.append("dk")
            elif item_id.endswith("-8"):
                row.append(rng.choice(("none", "some", "all")))
            elif item_id.endswith("-9"):
                row.append(rng.choice(("yes", "no")))
            else:
                row.append(str(rng.randint(1, 5)))
        writer.writerow(row)
    return out.getvalue().encode()


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """Fastest of `repeat` runs, in seconds (the least disturbed by a shared machine)."""
    [fastest] = best_of_each(repeat, run)
    return fastest


def best_of_each(repeat: int, *runs: Callable[[], object]) -> list[float]:
    """Fastest of `repeat` runs of each, in seconds (the least disturbed by a shared
    machine); the runs take turns, so a busy spell slows each of them alike."""
    times: list[list[float]] = [[] for _ in runs]
    for _ in range(repeat):
        for run, taken in zip(runs, times, strict=True):
            start = time.perf_counter()
            run()
            taken.append(time.perf_counter() - start)
    return [min(taken) for taken in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.respondents

    baseline, full, size = measure(bench_questionnaire(), n, args.repeat)
    print(f"respondents: {n:,} x {ITEMS} items, {size / 1e6:.1f} MB")
    print(f"csv parse only:        {baseline:7.3f} s  {n / baseline:12,.0f} respondents/s")
    print(f"csv -> scores -> json: {full:7.3f} s  {n / full:12,.0f} respondents/s")
    print(f"ratio (full / parse):  {full / baseline:7.2f}x  (target < 3x)")

    questionnaire = bench_questionnaire(advice=True)
    baseline, full, size = measure(questionnaire, n, args.repeat)
    result = score_answers(answers_csv(questionnaire, n), questionnaire, file="bench.csv")
    print()
    print("with every addition for advice: importance of each dimension, lead items,")
    print("can't judge allowed and given, 10 recommendations with item rules and dependencies")
    print(f"respondents: {n:,} x {ITEMS} items + lead + 4 importance, {size / 1e6:.1f} MB")
    print(
        f"csv parse only:                  {baseline:7.3f} s  {n / baseline:12,.0f} respondents/s"
    )
    print(f"csv -> scores -> advice -> json: {full:7.3f} s  {n / full:12,.0f} respondents/s")
    print(f"recommendations chosen:          {len(result.recommendations)} of 10")
    print(f"ratio (advice / parse):          {full / baseline:7.2f}x  (target <= 2.5x)")


def measure(
    questionnaire: Questionnaire, respondents: int, repeat: int
) -> tuple[float, float, int]:
    """(csv split alone, whole path to JSON) in seconds, and the file's size in bytes."""
    raw = answers_csv(questionnaire, respondents)

    def parse_only() -> object:
        return sum(1 for _ in csv.reader(io.StringIO(raw.decode())))

    def score_all() -> object:
        return json.dumps(score_answers(raw, questionnaire, file="bench.csv").to_dict())

    baseline, full = best_of_each(repeat, parse_only, score_all)
    return baseline, full, len(raw)


if __name__ == "__main__":
    main()
