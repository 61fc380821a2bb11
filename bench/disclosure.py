"""How long a release's disclosure decision takes, against scoring the same respondents.

Run: .venv/bin/python bench/disclosure.py [--repeat 3] [--cases 7]
Each line: respondents, profile questions x options, k, the groups and crossings the
decision admits, its time, and that time as a ratio of scoring the same respondents
(40 items, grouped by the first question) measured in the same run. A decision is made
once per release (and once per process for the live view), never per respondent.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assess.domain.answers import Response
from assess.domain.disclosure import decide
from assess.domain.scoring import score_assessment
from bench.scoring import bench_questionnaire, best_of

# (respondents, questions, options, k): an organisation's assessment (k = 3) and
# studies (k = 5), up to sparse data with many questions.
CASES = [
    (12, 2, 3, 3),
    (60, 3, 4, 3),
    (300, 8, 8, 3),
    (200, 3, 5, 5),
    (1_000, 4, 8, 5),
    (3_000, 4, 8, 5),
    (10_000, 4, 8, 5),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cases", type=int, default=len(CASES), help="the first N cases")
    args = parser.parse_args()
    questionnaire = bench_questionnaire()
    # Items 8 and 9 of each level are a choice and a yes/no: scale answers for the rest.
    scale = [item for item in questionnaire.item_ids() if not item.endswith(("-8", "-9"))]
    rng = random.Random(42)
    print("respondents  questions  k  groups  crossings  decision  ratio to scoring")
    for n, questions, options, k in CASES[: args.cases]:
        values: list[str | None] = [f"v{j}" for j in range(options)] + [None]
        keys = {f"q{i}": [rng.choice(values) for _ in range(n)] for i in range(questions)}
        responses = [
            Response(
                f"r{r}",
                {item: rng.randint(1, 5) for item in scale},
                {"department": department} if (department := keys["q0"][r]) else {},
            )
            for r in range(n)
        ]
        verdicts = decide(keys, n, k)

        def deciding(keys: dict[str, list[str | None]] = keys, n: int = n, k: int = k) -> None:
            decide(keys, n, k)

        def scoring_all(responses: list[Response] = responses) -> None:
            score_assessment(questionnaire, responses)

        decision = best_of(args.repeat, deciding)
        scoring = best_of(3, scoring_all)
        admitted = f"{len(verdicts.shown_groups()):>6}  {len(verdicts.crossings):>9}"
        print(
            f"{n:>11,}  {questions:>4} x {options:<3} {k}  {admitted}"
            f"  {decision * 1000:>6.0f} ms  {decision / scoring:>8.1f}x"
        )


if __name__ == "__main__":
    main()
