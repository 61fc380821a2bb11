"""Render the demo report end to end against WeasyPrint alone on the same final HTML, and
measure the memory of a rendering process as the service runs it.

Run: .venv/bin/python bench/report.py [--repeat 5] [--lang de]
(--repeat 0: one cold run of each, to check that it works; its figures mean little.)

(a) scores, charts, template and PDF from the questionnaire and the responses;
(b) WeasyPrint alone on the HTML that (a) produced. Both warm (one untimed run first),
the median of several runs, in this process. Target: ratio (a)/(b) at most 1.3, (a)
under 1.2 s for the demo report.
(c) a rendering process of the service (forked from the warm fork server, as
`assess.reporting.workers` makes them) renders the same report several times; then its
peak resident memory (target: under 150 MB) and the part of it that is its own, not
shared with the fork server and the other rendering processes.
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

from weasyprint import HTML  # noqa: E402

from assess.domain.answer_files import read_answers  # noqa: E402
from assess.domain.report_scores import report_scores  # noqa: E402
from assess.domain.validation import load_questionnaire  # noqa: E402
from assess.reporting import workers  # noqa: E402
from assess.reporting.branding import make_branding  # noqa: E402
from assess.reporting.inputs import Inputs  # noqa: E402
from assess.reporting.pdf import SCHEME, SHIPPED_TEMPLATES, Fetcher, to_pdf  # noqa: E402
from assess.reporting.render import Meta, build_report, html_of, pdf_of  # noqa: E402


def timed(work: Callable[[], object], repeat: int) -> float:
    """The median of `repeat` warm runs; with 0, one cold run (a check that it works)."""
    if repeat == 0:
        start = time.perf_counter()
        work()
        return time.perf_counter() - start
    work()  # warm: imports, fonts, caches
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def memory() -> dict[str, float]:
    """This process's peak and current resident memory, and its own (private) part, MB."""
    status = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            status[name] = int(value.split()[0]) / 1024
    private = 0.0
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            private += int(line.split()[1]) / 1024
    return {"peak": status["VmHWM"], "now": status["VmRSS"], "private": private}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--lang", default="de")
    args = parser.parse_args()
    questionnaire = load_questionnaire(ROOT / "questionnaires" / "cx-maturity-v2.yaml")
    raw = (ROOT / "examples" / "answers-demo.csv").read_bytes()
    meta = Meta("Muster GmbH", "CX-Check", "2026", invited=16)
    responses = read_answers(raw, questionnaire)

    def end_to_end() -> bytes:
        scores = report_scores(questionnaire, responses)
        report = build_report(questionnaire, scores, language=args.lang, meta=meta)
        return pdf_of(report)

    scores = report_scores(questionnaire, responses)
    html = html_of(build_report(questionnaire, scores, language=args.lang, meta=meta))

    def weasyprint_alone() -> bytes:
        return to_pdf(html, Fetcher(), title="t", author="a", language=args.lang)

    pages = len(HTML(string=html, base_url=SCHEME, url_fetcher=Fetcher()).render().pages)
    full = timed(end_to_end, args.repeat)
    alone = timed(weasyprint_alone, args.repeat)

    inputs = Inputs(questionnaire, scores, args.lang, meta, make_branding())
    start = time.perf_counter()
    workers.submit(workers.Processes(1), memory).result()
    started = time.perf_counter() - start
    for _ in range(args.repeat):
        workers.submit(workers.Processes(1), workers.render_pdf, inputs, SHIPPED_TEMPLATES).result()
    process = workers.submit(workers.Processes(1), memory).result()
    here = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    runs = f"median of {args.repeat} warm runs" if args.repeat else "one cold run: no figure"
    print(f"demo report ({args.lang}, {pages} pages), {runs}")
    print(f"(a) end to end          {full:6.2f} s   (target < 1.2 s)")
    print(f"(b) WeasyPrint alone    {alone:6.2f} s")
    print(f"ratio (a) / (b)         {full / alone:6.2f}    (target <= 1.3)")
    print(f"(c) a rendering process, after {args.repeat} reports:")
    print(f"    peak memory         {process['peak']:6.0f} MB  (target < 150 MB)")
    print(f"    of it its own       {process['private']:6.0f} MB  (the rest is shared)")
    print(f"    first start         {started:6.2f} s   (fork server loads and warms)")
    print(f"this process's peak     {here:6.0f} MB  (timing (a) and (b), CSV read with pandas)")


if __name__ == "__main__":
    main()
