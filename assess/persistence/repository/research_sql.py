"""SQL expressions of the research export's single cells and literals, for the COPY
statement of `research_copy`: each mirrors what `export_rows` and `cell_text` make of a
stored value."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assess.domain.export_text import defused
from assess.domain.questionnaire import BooleanItem, ProfileBoolean, ProfileScale, ScaleItem


def null_type(item: Any) -> str:
    """The SQL type of an item's cell, for a NULL of it."""
    return "float8" if isinstance(item, ScaleItem) else "text"


def item_cell(item: Any, j: int) -> str:
    """Item j's cell: its answer, NULL where it has none (see `_item_cells`)."""
    if isinstance(item, ScaleItem):
        return f"x{j}"  # a float8 column prints as its ::text would, without the text
    if isinstance(item, BooleanItem):
        return f"CASE a{j} WHEN 'true' THEN 'yes' WHEN 'false' THEN 'no' END"
    return choice_cell(item, j)


def choice_cell(item: Any, j: int) -> str:
    """A choice's (or yes/no's) stored answer, NULL where it has none (na, dk)."""
    if item.allow_dont_know:
        return f"NULLIF(NULLIF(a{j}, 'na'), 'dk')"
    return f"NULLIF(a{j}, 'na')"


def unscored(item: Any) -> str:
    """The condition on a stored answer that it is a number, not na (or dk)."""
    return "NOT IN ('na', 'dk')" if item.allow_dont_know else "<> 'na'"


def status_cell(item: Any, j: int) -> str:
    """Why item j's cell is empty; nothing where it has an answer (see `_item_cells`)."""
    dk = f" WHEN a{j} = 'dk' THEN 'dk'" if item.allow_dont_know else ""
    return f"CASE WHEN a{j} IS NULL THEN 'skipped' WHEN a{j} = 'na' THEN 'na'{dk} END"


def profile_cell(question: Any, value: str) -> str:
    """A profile answer's cell, from its stored text."""
    if isinstance(question, ProfileScale):
        return f"(({value})::float8)::text"
    if isinstance(question, ProfileBoolean):
        return f"CASE {value} WHEN 'true' THEN 'yes' WHEN 'false' THEN 'no' END"
    return value


def labelled(cell: str, table: Mapping[Any, str] | None) -> str:
    """A cell as its label, where it has one: codes compared as the CSV writes them."""
    if not table:
        return cell
    cases = " ".join(
        f"WHEN {sql_text(_as_written(code))} THEN {sql_text(defused(label))}"
        for code, label in table.items()
    )
    return f"CASE {cell} {cases} ELSE {cell} END"


def _as_written(code: Any) -> str:
    if isinstance(code, bool):
        return "yes" if code else "no"
    return defused(str(code))


def text_cell(column: str) -> str:
    """An attribute as `defused` text: empty as no value, formula starts defused."""
    starts = ", ".join(["'='", "'+'", "'-'", "'@'", "chr(9)", "chr(13)"])
    defused = f"'''' || {column}"
    return f"CASE WHEN left({column}, 1) IN ({starts}) THEN {defused} ELSE NULLIF({column}, '') END"


def sql_text(value: str) -> str:
    """A text literal."""
    return "'" + value.replace("'", "''") + "'"


def sql_float(value: float) -> str:
    """A float8 literal that reads back as the same float."""
    return f"'{float(value)!r}'::float8"


def sql_bytes(value: bytes) -> str:
    """A bytea literal."""
    return f"'\\x{value.hex()}'::bytea"
