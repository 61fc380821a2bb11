"""Loaded by the fork server of the rendering processes (`assess.reporting.workers`)
before it forks any of them: importing this module loads the renderers and makes one
small report, so that every code path a report takes (charts, template, fonts, font
subsetting, PDF) is loaded and its caches filled. The warm-up scores its own made-up
responses (in the domain, as `assess report` does) and uses the shipped templates: it
renders no one's report. Every rendering process starts from
this state and shares its memory pages; what the warm-up report itself used is freed
and handed back to the system before the first fork.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
from datetime import date

from assess.domain.answers import Response
from assess.domain.own_result import own_result
from assess.domain.report_scores import report_scores
from assess.domain.validation import parse_questionnaire
from assess.reporting.inputs import OwnInputs
from assess.reporting.own import own_pdf
from assess.reporting.render import Meta, build_report, pdf_of

# Four levels, each item type, a department profile and a recommendation: a report with
# every section. Its words only warm the renderers; nobody reads them.
QUESTIONNAIRE = """
id: warm-up
version: 1
languages: [de, en]
title: {de: "Aufwärmen", en: "Warm-up"}
scale: {min: 1, max: 5}
stages:
  - {id: low, min_score: 0, name: {de: "Niedrig", en: "Low"}}
  - {id: high, min_score: 50, name: {de: "Hoch", en: "High"}}
profile:
  - id: department
    type: choice
    scope: respondent
    text: {de: "Abteilung", en: "Department"}
    options:
      - {value: a, label: {de: "A", en: "A"}}
      - {value: b, label: {de: "B", en: "B"}}
dimensions:
""" + "".join(
    f"""
  - id: d{n}
    name: {{de: "Ebene {n}", en: "Level {n}"}}
    items:
      - {{id: s{n}, type: scale, text: {{de: "Skala {n}", en: "Scale {n}"}}}}
      - {{id: b{n}, type: boolean, text: {{de: "Ja/Nein {n}", en: "Yes/no {n}"}}}}
      - id: c{n}
        type: choice
        text: {{de: "Wahl {n}", en: "Choice {n}"}}
        options:
          - {{value: x, label: {{de: "X", en: "X"}}, score: 0}}
          - {{value: y, label: {{de: "Y", en: "Y"}}, score: 100}}
    recommendations:
      - {{when: {{below: 100}}, priority: 1, text: {{de: "Tun {n}", en: "Do {n}"}}}}
"""
    for n in range(1, 5)
)


def _responses() -> list[Response]:
    return [
        Response(
            f"r{r}",
            {
                **{f"s{n}": 1 + (r + n) % 5 for n in range(1, 5)},
                **{f"b{n}": (r + n) % 2 == 0 for n in range(1, 5)},
                **{f"c{n}": "xy"[(r + n) % 2] for n in range(1, 5)},
            },
            {"department": "ab"[r % 2]},
        )
        for r in range(6)
    ]


def _warm() -> None:
    try:
        _render()
    except Exception:  # a process that starts cold still renders; it is only slower
        logging.getLogger("assess.reports").exception("warming the renderers failed")
    gc.collect()
    libc = ctypes.util.find_library("c")
    if libc:  # glibc hands freed heap pages back to the system
        trim = getattr(ctypes.CDLL(libc), "malloc_trim", None)
        if trim is not None:
            trim(0)
    # What exists now lives as long as the process: the collector leaves it alone, so its
    # pages stay shared with the processes forked from here.
    gc.freeze()


def _render() -> None:
    questionnaire = parse_questionnaire(QUESTIONNAIRE, "<warm-up>")
    for language in questionnaire.languages:
        meta = Meta("Warm-up GmbH", "Warm-up", "1", invited=8, previous={"d1": 50.0})
        scores = report_scores(questionnaire, _responses())
        report = build_report(questionnaire, scores, language=language, meta=meta)
        pdf_of(report)
    # A respondent's own page too: they wait for it, not for a job.
    own = own_result(questionnaire, _responses()[0])
    own_pdf(OwnInputs(questionnaire, own, "de", "Warm-up", date(2026, 1, 1)))


_warm()
