"""Render the demo report end to end against WeasyPrint alone on the same final HTML.

Run: .venv/bin/python bench/report.py [--repeat 5] [--lang de]

(a) scores, charts, template and PDF from the questionnaire and the answers file;
(b) WeasyPrint alone on the HTML that (a) produced. Both warm (one untimed run first),
the median of several runs. Target: ratio (a)/(b) at most 1.3, (a) under 1.2 s for the
demo report, peak memory of the process under 150 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.domain.answers import read_answers  # noqa: E402
from assess.domain.validation import load_questionnaire  # noqa: E402
from assess.reporting.pdf import Fetcher, to_pdf  # noqa: E402
from assess.reporting.render import Meta, build_report, html_of, pdf_of  # noqa: E402


def timed(work: Callable[[], object], repeat: int) -> float:
    work()  # warm: imports, fonts, caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="de")
    args = parser.parse_args()
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "cx-maturity.yaml")
    raw = (ROOT / "examples" / "answers-demo.csv").read_bytes()
    meta = Meta("Muster GmbH", "CX-Check", "2026", invited=16)

    def end_to_end() -> bytes:
        responses = read_answers(raw, questionnaire)
        return pdf_of(build_report(questionnaire, responses, language=args.lang, meta=meta))

    report = build_report(
        questionnaire, read_answers(raw, questionnaire), language=args.lang, meta=meta
    )
    html = html_of(report)

    def weasyprint_alone() -> bytes:
        return to_pdf(html, Fetcher(), title="t", author="a", language=args.lang)

    pages = end_to_end().count(b"/Type /Page\n") or None
    full = timed(end_to_end, args.repeat)
    alone = timed(weasyprint_alone, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"demo report ({args.lang}), median of {args.repeat} warm runs"
        + (f", {pages} pages" if pages else "")
    )
    print(f"(a) end to end          {full:6.2f} s   (target < 1.2 s)")
    print(f"(b) WeasyPrint alone    {alone:6.2f} s")
    print(f"ratio (a) / (b)         {full / alone:6.2f}    (target <= 1.3)")
    print(f"peak memory             {peak:6.0f} MB  (target < 150 MB)")


if __name__ == "__main__":
    main()
