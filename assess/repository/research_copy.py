"""The research export as one PostgreSQL COPY statement, generated from the questionnaire:
PostgreSQL scores, formats and escapes every cell itself and streams CSV, some three
times as fast as formatting the rows in Python.

The SQL repeats the scoring engine's arithmetic operation by operation (item scores,
then sums item by item and dimension by dimension in questionnaire order, each product
and sum rounded once), so every score equals the engine's to the last bit; floats print
as shortest round-trip text (extra_float_digits = 1), which `number_text` mirrors. A test
compares this file with the one `export_rows` and `csv_line` make, byte for byte.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
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


def export_query(
    questionnaire: Questionnaire, version_id: uuid.UUID, pseudonyms: Pseudonyms
) -> str:
    """The SELECT whose rows are the export's CSV cells, in order."""
    inner, outer = pseudonyms.pads()

    def pseudonym(column: str) -> str:
        message = f"uuid_send({column})"  # the id's 16 bytes
        digest = f"sha256({_bytes(outer)} || sha256({_bytes(inner)} || {message}))"
        return f"left(encode({digest}, 'hex'), {PSEUDONYM_LENGTH})"

    exportable = (
        f"a.questionnaire_version_id = '{version_id}'::uuid AND a.status = 'closed' "
        "AND r.status = 'submitted' AND o.benchmark_opt_in"
    )
    base = (
        "responses r JOIN assessments a ON a.id = r.assessment_id "
        "JOIN organisations o ON o.id = a.organisation_id"
    )
    profiles = respondent_questions(questionnaire)
    groups = []
    cells = ["op.ps AS c_org", f"{pseudonym('r.id')} AS c_resp"]
    cells += [f"{_text_cell(f'o.{name}')} AS c_{name}" for name in ATTRIBUTES]
    for j, question in enumerate(profiles):
        value = f"r.profile->>{_text(question.id)}"
        groups.append(
            f"LEFT JOIN (SELECT a.organisation_id AS org, r.profile->>{_text(question.id)} AS v, "
            f"count(*) AS n FROM {base} WHERE {exportable} GROUP BY 1, 2) g{j} "
            f"ON g{j}.org = a.organisation_id AND g{j}.v = {value}"
        )
        shown = f"g{j}.n >= {MIN_GROUP}"
        cells.append(f"CASE WHEN {shown} THEN {_profile_cell(question, value)} END AS p{j}")
    items = [item for _, item in questionnaire.items()]
    # Each answer is read from the jsonb once (->> beats jsonb_to_record here).
    cells += [f"r.answers->>{_text(item.id)} AS a{j}" for j, item in enumerate(items)]
    organisations = (
        f"(SELECT id, {pseudonym('id')} AS ps FROM organisations WHERE benchmark_opt_in) op"
    )
    read = (
        f"SELECT {', '.join(cells)} FROM {base} "
        f"JOIN {organisations} ON op.id = a.organisation_id {' '.join(groups)} "
        f"WHERE {exportable} OFFSET 0"
    )
    keep = ["c_org", "c_resp", *(f"c_{n}" for n in ATTRIBUTES)]
    keep += [f"p{j}" for j in range(len(profiles))]
    item_cells = [f"{_item_cell(item, f'a{j}')} AS i{j}" for j, item in enumerate(items)]
    scores = [
        f"{_item_score(questionnaire, item, f'a{j}')} AS s{j}" for j, item in enumerate(items)
    ]
    scored = f"SELECT {', '.join(keep + item_cells + scores)} FROM ({read}) x OFFSET 0"
    keep += [f"i{j}" for j in range(len(items))]
    sums, dims = [], []
    start = 0
    for k, dimension in enumerate(questionnaire.dimensions):
        weights = [i.weight for i in dimension.items]
        pairs = list(zip(weights, range(start, start + len(weights)), strict=True))
        start += len(weights)
        weighted = _chain(f"COALESCE({_float(w)} * s{t}, 0)" for w, t in pairs)
        answered = _chain(
            f"CASE WHEN s{t} IS NOT NULL THEN {_float(w)} ELSE 0 END" for w, t in pairs
        )
        sums += [f"{weighted} AS w{k}", f"{answered} AS c{k}"]
        enough = (
            f"c{k} > 0 AND c{k} / {_float(math.fsum(weights))} "
            f">= {_float(questionnaire.min_coverage)}"
        )
        dims.append(f"CASE WHEN {enough} THEN w{k} / c{k} END AS d{k}")
    summed = f"SELECT {', '.join(keep + sums)} FROM ({scored}) s OFFSET 0"
    with_dims = f"SELECT {', '.join(keep + dims)} FROM ({summed}) w OFFSET 0"
    weights = [d.weight for d in questionnaire.dimensions]
    present = " AND ".join(f"d{k} IS NOT NULL" for k in range(len(dims)))
    total = _chain(f"{_float(w)} * d{k}" for k, w in enumerate(weights))
    overall = f"CASE WHEN {present} THEN {total} / {_float(math.fsum(weights))} END"
    out = keep + [f"d{k}::text" for k in range(len(dims))] + [f"({overall})::text"]
    order = 'c_org COLLATE "C", c_resp COLLATE "C"'
    return f"SELECT {', '.join(out)} FROM ({with_dims}) d ORDER BY {order}"


def _chain(terms: Any) -> str:
    """Sum left to right, starting from 0, as the engine's loop does."""
    expression = "0::float8"
    for term in terms:
        expression = f"({expression} + {term})"
    return expression


def _item_score(questionnaire: Questionnaire, item: Any, value: str) -> str:
    if isinstance(item, ScaleItem):
        low, high = questionnaire.scale_of(item)
        score = f"(({value})::float8 - {_float(low)}) * {_float(100)} / {_float(high - low)}"
        if item.reverse:
            score = f"{_float(100)} - ({score})"
        return f"CASE WHEN {value} <> 'na' THEN {score} END"
    if isinstance(item, ChoiceItem):
        cases = " ".join(f"WHEN {_text(o.value)} THEN {_float(o.score)}" for o in item.options)
        return f"CASE {value} {cases} END"
    return f"CASE {value} WHEN 'true' THEN {_float(100)} WHEN 'false' THEN {_float(0)} END"


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
