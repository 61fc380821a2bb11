"""The research export as one PostgreSQL COPY statement, generated from the questionnaire:
PostgreSQL scores, formats and escapes every cell itself and streams CSV.

The SQL repeats the scoring engine's arithmetic operation by operation (item scores,
then sums item by item and dimension by dimension in questionnaire order, each product
and sum rounded once), so every score equals the engine's to the last bit; floats print
as shortest round-trip text (extra_float_digits = 1), which `number_text` mirrors. A test
compares this file with the one `export_rows` and `csv_line` make, byte for byte.

What is the same for all rows of an organisation (its pseudonym, its attributes, which
profile answers enough of its respondents share) is computed once per assessment, not
once per row; each answer is read from the jsonb once. Where it is exact, the SQL leaves
out what cannot change a float (a product with weight 1, a sum that starts at 0, weights
counted as integers).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection

from assess.domain.export import (
    ATTRIBUTES,
    MIN_GROUP,
    PSEUDONYM_LENGTH,
    Pseudonyms,
    respondent_questions,
)
from assess.domain.questionnaire import (
    BooleanItem,
    ChoiceItem,
    ProfileBoolean,
    ProfileScale,
    Questionnaire,
    ScaleItem,
)

COPY_BLOCK = 1 << 20


def copy_csv(
    connection: Connection,
    *,
    questionnaire: Questionnaire,
    version_id: uuid.UUID,
    pseudonyms: Pseudonyms,
) -> Iterator[bytes]:
    """The rows of the export as CSV (no header), in blocks, straight from COPY."""
    raw: Any = connection.connection.driver_connection
    statement = (
        f"COPY ({export_query(questionnaire, version_id, pseudonyms)}) TO STDOUT WITH (FORMAT csv)"
    )
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        pending = bytearray()
        for block in copy:
            pending += block
            if len(pending) >= COPY_BLOCK:
                yield bytes(pending)
                pending.clear()
        if pending:
            yield bytes(pending)


def pseudonym_sql(column: str, pseudonyms: Pseudonyms) -> str:
    """SQL for the pseudonym of a uuid column (see `Pseudonyms.of`)."""
    digest = f"sha256({_bytes(pseudonyms.key)} || uuid_send({column}))"
    return f"left(encode({digest}, 'hex'), {PSEUDONYM_LENGTH})"


def export_query(
    questionnaire: Questionnaire, version_id: uuid.UUID, pseudonyms: Pseudonyms
) -> str:
    """The SELECT whose rows are the export's CSV cells, in order."""
    profiles = respondent_questions(questionnaire)
    items = [item for _, item in questionnaire.items()]
    read = _read(questionnaire, version_id, pseudonyms)
    keep = ["c_org", "c_resp", *(f"c_{n}" for n in ATTRIBUTES)]
    keep += [f"p{j}" for j in range(len(profiles))]
    cells = [f"{_item_cell(item, f'a{j}')} AS i{j}" for j, item in enumerate(items)]
    sums, dims = [], []
    start = 0
    for k, dimension in enumerate(questionnaire.dimensions):
        weights = [float(i.weight) for i in dimension.items]
        at = range(start, start + len(weights))
        start += len(weights)
        pairs = zip(weights, at, strict=True)
        terms = [_weighted(questionnaire, items[t], f"a{t}", w) for w, t in pairs]
        sums += [f"{_chain(terms)} AS w{k}", f"{_answered(weights, at)} AS c{k}"]
        enough = (
            f"c{k} > 0 AND c{k} / {_float(math.fsum(weights))} "
            f">= {_float(questionnaire.min_coverage)}"
        )
        dims.append(f"CASE WHEN {enough} THEN w{k} / c{k} END AS d{k}")
    scored = f"SELECT {', '.join(keep + cells + sums)} FROM ({read}) x OFFSET 0"
    keep += [f"i{j}" for j in range(len(items))]
    with_dims = f"SELECT {', '.join(keep + dims)} FROM ({scored}) s OFFSET 0"
    weights = [float(d.weight) for d in questionnaire.dimensions]
    present = " AND ".join(f"d{k} IS NOT NULL" for k in range(len(dims)))
    total = _chain(f"d{k}" if w == 1 else f"{_float(w)} * d{k}" for k, w in enumerate(weights))
    overall = f"CASE WHEN {present} THEN {total} / {_float(math.fsum(weights))} END"
    out = keep + [f"d{k}" for k in range(len(dims))] + [overall]
    order = 'c_org COLLATE "C", c_resp COLLATE "C"'
    return f"SELECT {', '.join(out)} FROM ({with_dims}) d ORDER BY {order}"


def _read(questionnaire: Questionnaire, version_id: uuid.UUID, pseudonyms: Pseudonyms) -> str:
    """Per exportable response: pseudonyms, attributes, shown profile answers, and each
    answer as text, read once."""
    exportable = (
        f"a.questionnaire_version_id = '{version_id}'::uuid AND a.status = 'closed' "
        "AND o.benchmark_opt_in"
    )
    profiles = respondent_questions(questionnaire)
    # Per assessment (so per organisation, never per row): pseudonym, attributes, and
    # which answers to each respondent question enough of its respondents share.
    columns = ["a.id", f"{pseudonym_sql('o.id', pseudonyms)} AS c_org"]
    columns += [f"{_text_cell(f'o.{name}')} AS c_{name}" for name in ATTRIBUTES]
    shared = []
    for j, question in enumerate(profiles):
        columns.append(f"g{j}.v AS shown{j}")
        shared.append(
            f"LEFT JOIN (SELECT org, array_agg(v) AS v FROM (SELECT a.organisation_id AS org, "
            f"r.profile->>{_text(question.id)} AS v FROM responses r "
            "JOIN assessments a ON a.id = r.assessment_id "
            f"JOIN organisations o ON o.id = a.organisation_id WHERE {exportable} "
            f"AND r.status = 'submitted' GROUP BY 1, 2 HAVING count(*) >= {MIN_GROUP}) n "
            f"GROUP BY org) g{j} ON g{j}.org = o.id"
        )
    assessments = (
        f"WITH ex AS MATERIALIZED (SELECT {', '.join(columns)} FROM assessments a "
        f"JOIN organisations o ON o.id = a.organisation_id {' '.join(shared)} "
        f"WHERE {exportable}) "
    )
    cells = ["ex.c_org", f"{pseudonym_sql('r.id', pseudonyms)} AS c_resp"]
    cells += [f"ex.c_{name}" for name in ATTRIBUTES]
    for j, question in enumerate(profiles):
        value = f"r.profile->>{_text(question.id)}"
        shown = f"{value} = ANY(ex.shown{j})"
        cells.append(f"CASE WHEN {shown} THEN {_profile_cell(question, value)} END AS p{j}")
    # ->> beats jsonb_to_record and jsonb_each_text here.
    items = [item for _, item in questionnaire.items()]
    cells += [f"r.answers->>{_text(item.id)} AS a{j}" for j, item in enumerate(items)]
    return (
        f"{assessments}SELECT {', '.join(cells)} FROM ex "
        "JOIN responses r ON r.assessment_id = ex.id WHERE r.status = 'submitted' OFFSET 0"
    )


def _chain(terms: Iterable[str]) -> str:
    """Sum left to right, as the engine's loop does (its start, 0.0, changes no sum of
    scores, which are never -0.0)."""
    first, *rest = terms
    expression = first
    for term in rest:
        expression = f"({expression} + {term})"
    return expression


def _weighted(questionnaire: Questionnaire, item: Any, value: str, weight: float) -> str:
    """Weight x item score where the item has a score, else 0 (rule 1, then rule 2's term)."""
    times = "" if weight == 1 else f"{_float(weight)} * "
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        score = f"(({value})::float8 - {_float(low)}) * {_float(100)} / {_float(high - low)}"
        if item.reverse:
            score = f"{_float(100)} - ({score})"
        return f"CASE WHEN {value} <> 'na' THEN {times}({score}) ELSE 0::float8 END"
    if isinstance(item, ChoiceItem):
        cases = " ".join(
            f"WHEN {_text(o.value)} THEN {_float(weight * (o.score + 0.0))}" for o in item.options
        )
        return f"CASE {value} {cases} ELSE 0::float8 END"
    return f"CASE {value} WHEN 'true' THEN {_float(weight * 100.0)} ELSE 0::float8 END"


def _answered(weights: list[float], at: range) -> str:
    """The weight of a dimension's answered items (rule 2): stored answers are valid, so
    an item has a score exactly where its answer is present and not "na"."""
    if all(w.is_integer() for w in weights):  # integer sums are exact in any order
        by_weight: dict[int, list[str]] = {}
        for w, t in zip(weights, at, strict=True):
            by_weight.setdefault(int(w), []).append(f"NULLIF(a{t}, 'na')")
        parts = [
            ("" if w == 1 else f"{w} * ") + f"num_nonnulls({', '.join(values)})"
            for w, values in by_weight.items()
        ]
        return f"({' + '.join(parts)})::float8"
    pairs = zip(weights, at, strict=True)
    terms = [f"CASE WHEN a{t} <> 'na' THEN {_float(w)} ELSE 0 END" for w, t in pairs]
    return _chain(["0::float8", *terms])


def _item_cell(item: Any, value: str) -> str:
    if isinstance(item, ScaleItem):
        return f"CASE WHEN {value} = 'na' THEN 'na' ELSE (({value})::float8)::text END"
    if isinstance(item, BooleanItem):
        return f"CASE {value} WHEN 'true' THEN 'yes' WHEN 'false' THEN 'no' WHEN 'na' THEN 'na' END"
    return value


def _profile_cell(question: Any, value: str) -> str:
    if isinstance(question, ProfileScale):
        return f"(({value})::float8)::text"
    if isinstance(question, ProfileBoolean):
        return f"CASE {value} WHEN 'true' THEN 'yes' WHEN 'false' THEN 'no' END"
    return value


def _text_cell(column: str) -> str:
    """An attribute as `defused` text: empty as no value, formula starts defused."""
    starts = ", ".join(["'='", "'+'", "'-'", "'@'", "chr(9)", "chr(13)"])
    defused = f"'''' || {column}"
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN {defused} ELSE NULLIF({column}, '') END"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _float(value: float) -> str:
    return f"'{float(value)!r}'::float8"


def _bytes(value: bytes) -> str:
    return f"'\\x{value.hex()}'::bytea"
