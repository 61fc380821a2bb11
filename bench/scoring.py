"""Score N respondents x 40 items from CSV to JSON, against parsing the same CSV alone.

Run: .venv/bin/python bench/scoring.py [--respondents 100000] [--repeat 3]
Target: the whole path (decode, check every cell, score, group, JSON) in under 3x the
time the csv module needs just to split the same file into rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import time
from collections.abc import Callable

from assess.domain.questionnaire import Questionnaire
from assess.domain.scoring import score_answers

DIMENSIONS = ("strategy", "orchestration", "tactics", "culture")
ITEMS_PER_DIMENSION = 10
DEPARTMENTS = ("marketing", "sales", "service", "management")


def bench_questionnaire() -> Questionnaire:
    """40 items over four dimensions: scale (some reversed), choice and boolean items."""
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
    return Questionnaire.model_validate(
        {
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
        },
        context={"languages": ["de", "en"]},
    )


def answers_csv(questionnaire: Questionnaire, respondents: int, seed: int = 7) -> bytes:
    """A realistic answers file: mostly answered, some skipped and not-applicable cells."""
    rng = random.Random(seed)
    ids = questionnaire.item_ids()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["respondent", "department", *ids])
    for r in range(respondents):
        row = [f"r{r}", DEPARTMENTS[r % 4]]
        for item_id in ids:
            roll = rng.random()
            if roll < 0.03:
                row.append("")
            elif roll < 0.05:
                row.append("na")
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
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    questionnaire = bench_questionnaire()
    raw = answers_csv(questionnaire, args.respondents)

    def parse_only() -> object:
        return sum(1 for _ in csv.reader(io.StringIO(raw.decode())))

    def score_all() -> object:
        return json.dumps(score_answers(raw, questionnaire, file="bench.csv").to_dict())

    baseline = best_of(args.repeat, parse_only)
    full = best_of(args.repeat, score_all)
    n = args.respondents
    print(f"respondents: {n:,} x {len(questionnaire.item_ids())} items, {len(raw) / 1e6:.1f} MB")
    print(f"csv parse only:        {baseline:7.3f} s  {n / baseline:12,.0f} respondents/s")
    print(f"csv -> scores -> json: {full:7.3f} s  {n / full:12,.0f} respondents/s")
    print(f"ratio (full / parse):  {full / baseline:7.2f}x  (target < 3x)")


if __name__ == "__main__":
    main()
