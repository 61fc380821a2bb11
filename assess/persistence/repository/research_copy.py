"""The research export as a PostgreSQL COPY statement, generated from the questionnaire:
PostgreSQL scores, formats and escapes every cell itself and streams CSV (one statement
for each half of the organisations, run side by side, see `research_twin`).

The SQL repeats the scoring engine's arithmetic operation by operation (item scores,
then sums item by item and dimension by dimension in questionnaire order, each product
and sum rounded once), so every score equals the engine's to the last bit; floats print
as shortest round-trip text (extra_float_digits = 1), which `number_text` mirrors. A test
compares this file with the one `export_rows` and `csv_line` make, byte for byte.

The rows come organisation by organisation in pseudonym order, each organisation's
responses read by index next to it: the ORDER BY then sorts only within an organisation
(an incremental sort of a few dozen rows in memory, where one sort of the whole export
spilled to disk), and how many of the organisation's respondents gave each profile
answer is counted over those same rows (a window, not a second scan of every response).
What is the same for all rows of an organisation (its pseudonym, its attributes) is
computed once per organisation; each answer is read from the jsonb once and each scale
answer parsed once. Where it is exact, the SQL leaves out what cannot change a float (a
product with weight 1, a sum that starts at 0, weights counted as integers).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from typing import Any

from sqlalchemy import Connection

from assess.domain.columns import importance_column
from assess.domain.export import (
    ATTRIBUTES,
    PSEUDONYM_LENGTH,
    Pseudonyms,
    profile_questions,
)
from assess.domain.export_leads import dimensions_with_facts
from assess.domain.grouping import MIN_GROUP_RESPONDENTS
from assess.domain.questionnaire import (
    ChoiceItem,
    Questionnaire,
    ScaleItem,
)
from assess.domain.variables import WITHHELD, has_lead_items
from assess.persistence.repository.research_sql import (
    choice_cell,
    item_cell,
    labelled,
    null_type,
    profile_cell,
    sql_bytes,
    sql_float,
    sql_text,
    status_cell,
    text_cell,
    unscored,
)
from assess.persistence.repository.research_twin import blocks, copy_rows, merged, twin


def copy_csv(
    connection: Connection,
    *,
    questionnaire: Questionnaire,
    version_id: uuid.UUID,
    pseudonyms: Pseudonyms,
    labels: Sequence[Mapping[Any, str] | None] | None = None,
    lead_shown: bool = False,
) -> Iterator[bytes]:
    """The rows of the export as CSV (no header), in blocks, straight from COPY (half of
    the organisations on each of two connections, see `research_twin`); with `labels`
    (per column, labels by code) each coded cell as its label; with `lead_shown`, the
    leads' rows apart from their organisations at the end (one more COPY, see
    `export_rows`)."""
    # Compiling the row expressions pays for itself from about 100,000 rows; LLVM's
    # optimisation and inlining passes on top of that cost more than they save.
    connection.exec_driver_sql("SET LOCAL jit_optimize_above_cost = -1")
    connection.exec_driver_sql("SET LOCAL jit_inline_above_cost = -1")
    raw: Any = connection.connection.driver_connection

    def statement(**part: Any) -> str:
        query = export_query(
            questionnaire, version_id, pseudonyms, labels, lead_shown=lead_shown, **part
        )
        return f"COPY ({query}) TO STDOUT WITH (FORMAT csv)"

    # The first half's COPY ends before either transaction does, however the reading ends.
    with twin(connection) as second, closing(copy_rows(raw, statement(half=0))) as first:
        yield from blocks(merged(first, second, statement(half=1)))
    if lead_shown:  # the leads' rows apart, at the end (see `export_rows`)
        yield from blocks(copy_rows(raw, statement(detached=True)))


def pseudonym_sql(column: str, pseudonyms: Pseudonyms) -> str:
    """SQL for the pseudonym of a uuid column (see `Pseudonyms.of`)."""
    digest = f"sha256({sql_bytes(pseudonyms.key)} || uuid_send({column}))"
    return f"left(encode({digest}, 'hex'), {PSEUDONYM_LENGTH})"


def export_query(
    questionnaire: Questionnaire,
    version_id: uuid.UUID,
    pseudonyms: Pseudonyms,
    labels: Sequence[Mapping[Any, str] | None] | None = None,
    *,
    lead_shown: bool = False,
    detached: bool = False,
    half: int | None = None,
) -> str:
    """The SELECT whose rows are the export's CSV cells, in order (labelled where
    `labels` has labels for a column). With `lead_shown`, the rows of everyone but the
    leads, or with `detached` the leads' rows only, without what ties them to their
    organisations; with `half` (0 or 1) only the organisations whose pseudonym ends in a
    hex digit of that parity (eight digits each)."""
    exportable = f"a.questionnaire_version_id = '{version_id}'::uuid AND a.status = 'closed'"
    pseudonym = pseudonym_sql("o.id", pseudonyms)
    # "<> the other parity": the planner then counts on most organisations, as without the
    # condition, where for "=" it would count on 0.5% of them and not compile the rows'
    # expressions (see `copy_csv`).
    parity = "" if half is None else f"AND ascii(right({pseudonym}, 1)) % 2 <> {1 - half} "
    columns = ["o.id", f'{pseudonym} COLLATE "C" AS c_org']
    columns += [f"{text_cell(f'o.{name}')} AS c_{name}" for name in ATTRIBUTES]
    organisations = (
        f"SELECT {', '.join(columns)} FROM organisations o WHERE o.benchmark_opt_in "
        # Demo organisations only in a database of demo data (see `demo.in_scope`).
        "AND o.is_demo = NOT EXISTS (SELECT FROM organisations ro WHERE NOT ro.is_demo) "
        f"AND EXISTS (SELECT FROM assessments a WHERE a.organisation_id = o.id AND {exportable}) "
        f"{parity}ORDER BY c_org"
    )
    answers = _answers(questionnaire, exportable, pseudonyms, lead_shown, detached)
    rows = _scored(questionnaire, answers)
    profiles = profile_questions(questionnaire)
    items = [item for _, item in questionnaire.items()]
    cells = ["o.c_org", "r.c_resp", *(f"o.c_{name}" for name in ATTRIBUTES)]
    cells += [f"r.p{j}" for j in range(len(profiles))]
    if has_lead_items(questionnaire):
        cells.append(f"{int(detached)}::float8" if lead_shown else "NULL::float8")
    for j, item in enumerate(items):
        withheld = detached and item.informant == "lead"
        cells += (
            [f"NULL::{null_type(item)}", f"'{WITHHELD}'"] if withheld else [f"r.i{j}", f"r.t{j}"]
        )
    if questionnaire.importance is not None:
        cells += [f"r.m{k}" for k in range(len(questionnaire.dimensions))]
    with_facts = dimensions_with_facts(questionnaire) if detached else set()
    cells += [
        "NULL::float8" if k in with_facts else f"r.d{k}"
        for k in range(len(questionnaire.dimensions))
    ]
    cells.append("NULL::float8" if with_facts else "r.overall")
    if detached:  # no organisation, attributes or profile answers
        cells[0] = "NULL::text"
        for at in range(2, 2 + len(ATTRIBUTES) + len(profiles)):
            cells[at] = "NULL::text"
    if labels is not None:
        cells = [labelled(cell, table) for cell, table in zip(cells, labels, strict=True)]
    select = f"SELECT {', '.join(cells)} FROM ({organisations}) o CROSS JOIN LATERAL ({rows}) r"
    if detached:
        return f"{select} ORDER BY r.c_resp"
    return f"{select}{' WHERE NOT r.lead' if lead_shown else ''} ORDER BY o.c_org, r.c_resp"


def _answers(
    questionnaire: Questionnaire,
    exportable: str,
    pseudonyms: Pseudonyms,
    lead_shown: bool = False,
    detached: bool = False,
) -> str:
    """The exportable responses of organisation o: pseudonym, shown profile answers (see
    `export_rows`), whether it is the lead's, each answer as text, read once (scale
    answers also as numbers, x{j}; lead items as the assessment's lead gave them, rule 6),
    and each importance (m{k}). With `lead_shown` leads' rows count apart; with `detached`
    only they are read."""
    profiles = profile_questions(questionnaire)
    leads = has_lead_items(questionnaire)
    # The lead's: its invitation is marked as the lead, or it was imported as the lead.
    lead = "(COALESCE(i.lead, false) OR r.lead)" if leads else "false"
    apart = f"{lead}, " if lead_shown else ""
    values = [f'{pseudonym_sql("r.id", pseudonyms)} COLLATE "C" AS c_resp', f"{lead} AS lead"]
    for j, question in enumerate(profiles):
        # How many of the organisation's respondents gave this answer.
        value = f"r.profile->>{sql_text(question.id)}"
        values += [f"{value} AS q{j}", f"count(*) OVER (PARTITION BY {apart}{value}) AS n{j}"]
    # ->> beats jsonb_to_record and jsonb_each_text here.
    items = [item for _, item in questionnaire.items()]
    for j, item in enumerate(items):
        answer = f"r.answers->>{sql_text(item.id)}"
        if item.informant == "lead":  # one lead per assessment at most
            answer = f"max({answer}) FILTER (WHERE {lead}) OVER (PARTITION BY a.id)"
        values.append(f"{answer} AS a{j}")
    ratings = []
    if questionnaire.importance is not None:
        for k, dimension in enumerate(questionnaire.dimensions):
            rating = f"r.answers->>{sql_text(importance_column(dimension.id))}"
            values.append(f"({rating})::float8 AS m{k}")
            ratings.append(f"m{k}")
    joined = " LEFT JOIN invitations i ON i.id = r.invitation_id" if leads else ""
    only = f" AND {lead}" if detached else ""
    read = (
        f"SELECT {', '.join(values)} FROM assessments a "
        f"JOIN responses r ON r.assessment_id = a.id{joined} "
        f"WHERE a.organisation_id = o.id AND {exportable} AND r.status = 'submitted'{only} "
        "OFFSET 0"
    )
    cells = ["c_resp", "lead", *ratings]
    for j, question in enumerate(profiles):
        shown = (
            f"CASE WHEN n{j} >= {MIN_GROUP_RESPONDENTS} THEN {profile_cell(question, f'q{j}')} END"
        )
        cells.append(f"{shown} AS s{j}")
    answers = [f"a{j}" for j in range(len(items))]
    # Each scale answer is parsed once: for its cell, its score and its dimension's count.
    answers += [
        f"CASE WHEN a{j} {unscored(item)} THEN a{j}::float8 END AS x{j}"
        for j, item in enumerate(items)
        if isinstance(item, ScaleItem)
    ]
    single = f"SELECT {', '.join(cells + answers)} FROM ({read}) v OFFSET 0"
    # All of a response's profile cells are left empty where the answers shown pick out
    # fewer than MIN_GROUP_RESPONDENTS of the organisation's respondents together.
    each = [f"s{j}" for j in range(len(profiles))]
    split = ["lead"] if lead_shown else []
    together = f"count(*) OVER (PARTITION BY {', '.join(split + each)})" if each else "0"
    kept = [
        f"CASE WHEN {together} >= {MIN_GROUP_RESPONDENTS} THEN {s} END AS p{j}"
        for j, s in enumerate(each)
    ]
    rest = ["lead", *ratings] + [f"a{j}" for j in range(len(items))]
    rest += [f"x{j}" for j, item in enumerate(items) if isinstance(item, ScaleItem)]
    return f"SELECT {', '.join(['c_resp', *kept, *rest])} FROM ({single}) w OFFSET 0"


def _scored(questionnaire: Questionnaire, answers: str) -> str:
    """Per response: pseudonym, profile and item cells, dimension and overall scores."""
    profiles = profile_questions(questionnaire)
    items = [item for _, item in questionnaire.items()]
    ratings = [f"m{k}" for k in range(len(questionnaire.dimensions)) if questionnaire.importance]
    keep = ["c_resp", "lead", *ratings, *(f"p{j}" for j in range(len(profiles)))]
    cells = [
        f"{cell} AS {c}{j}"
        for j, item in enumerate(items)
        for c, cell in (("i", item_cell(item, j)), ("t", status_cell(item, j)))
    ]
    sums, dims = [], []
    start = 0
    for k, dimension in enumerate(questionnaire.dimensions):
        weights = [float(i.weight) for i in dimension.items]
        at = range(start, start + len(weights))
        start += len(weights)
        pairs = zip(weights, at, strict=True)
        terms = [_weighted(questionnaire, items[t], t, w) for w, t in pairs]
        sums += [f"{_chain(terms)} AS w{k}", f"{_answered(items, weights, at)} AS c{k}"]
        enough = (
            f"c{k} > 0 AND c{k} / {sql_float(math.fsum(weights))} "
            f">= {sql_float(questionnaire.min_coverage)}"
        )
        dims.append(f"CASE WHEN {enough} THEN w{k} / c{k} END AS d{k}")
    # OFFSET 0 keeps each layer's columns computed once, however often the next uses them.
    scored = f"SELECT {', '.join(keep + cells + sums)} FROM ({answers}) x OFFSET 0"
    keep += [f"{c}{j}" for j in range(len(items)) for c in "it"]
    with_dims = f"SELECT {', '.join(keep + dims)} FROM ({scored}) s OFFSET 0"
    weights = [float(d.weight) for d in questionnaire.dimensions]
    present = " AND ".join(f"d{k} IS NOT NULL" for k in range(len(dims)))
    total = _chain(f"d{k}" if w == 1 else f"{sql_float(w)} * d{k}" for k, w in enumerate(weights))
    overall = f"CASE WHEN {present} THEN {total} / {sql_float(math.fsum(weights))} END"
    out = keep + [f"d{k}" for k in range(len(dims))] + [f"{overall} AS overall"]
    return f"SELECT {', '.join(out)} FROM ({with_dims}) d"


def _chain(terms: Iterable[str]) -> str:
    """Sum left to right, as the engine's loop does (its start, 0.0, changes no sum of
    scores, which are never -0.0)."""
    first, *rest = terms
    expression = first
    for term in rest:
        expression = f"({expression} + {term})"
    return expression


def _weighted(questionnaire: Questionnaire, item: Any, j: int, weight: float) -> str:
    """Weight x item score where the item has a score, else 0 (rule 1, then rule 2's term)."""
    times = "" if weight == 1 else f"{sql_float(weight)} * "
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        score = f"(x{j} - {sql_float(low)}) * {sql_float(100)} / {sql_float(high - low)}"
        if item.reverse:
            score = f"{sql_float(100)} - ({score})"
        return f"COALESCE({times}({score}), 0::float8)"
    if isinstance(item, ChoiceItem):
        cases = " ".join(
            f"WHEN {sql_text(o.value)} THEN {sql_float(weight * (o.score + 0.0))}"
            for o in item.options
        )
        return f"CASE a{j} {cases} ELSE 0::float8 END"
    return f"CASE a{j} WHEN 'true' THEN {sql_float(weight * 100.0)} ELSE 0::float8 END"


def _answered(items: list[Any], weights: list[float], at: range) -> str:
    """The weight of a dimension's answered items (rule 2): stored answers are valid, so
    an item has a score exactly where its answer is present and not "na"."""
    scored = [f"x{t}" if isinstance(items[t], ScaleItem) else choice_cell(items[t], t) for t in at]
    if all(w.is_integer() for w in weights):  # integer sums are exact in any order
        by_weight: dict[int, list[str]] = {}
        for w, value in zip(weights, scored, strict=True):
            by_weight.setdefault(int(w), []).append(value)
        parts = [
            ("" if w == 1 else f"{w} * ") + f"num_nonnulls({', '.join(values)})"
            for w, values in by_weight.items()
        ]
        return f"({' + '.join(parts)})::float8"
    pairs = zip(weights, scored, strict=True)
    terms = [f"CASE WHEN {value} IS NOT NULL THEN {sql_float(w)} ELSE 0 END" for w, value in pairs]
    return _chain(["0::float8", *terms])
