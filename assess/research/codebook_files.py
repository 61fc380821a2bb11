"""The codebook written out: as Markdown, and as one table (the `codebook.csv` file and
the XLSX export's `codebook` sheet) with one row per variable and value, then the stages
and the scoring rules, which pandas reads as it is."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assess.domain.export_text import Cell, csv_line
from assess.research.codebook import WORDS

TABLE = (
    "variable",
    "kind",
    "scope",
    "label",
    "type",
    "dimension",
    "dimension_weight",
    "item_type",
    "weight",
    "scale_min",
    "scale_max",
    "reverse",
    "min_coverage",
    "hidden_below",
    "value",
    "value_label",
    "value_score",
    "spss_code",
)
_SCORING_FACTS = TABLE[5:13]  # dimension … min_coverage
_VALUE = ("value", "label", "score", "spss_code")  # keys of a value, for the last four


def codebook_table(book: dict[str, Any]) -> Iterator[list[Cell]]:
    """The codebook as rows of `TABLE`: a variable's facts repeated on each of its values;
    then one row per stage (value, name, minimum score) and per scoring rule."""
    yield list(TABLE)
    for variable in book["variables"]:
        facts = [_cell(variable.get(name)) for name in TABLE[:-4]]
        for value in variable.get("values") or [{}]:
            yield facts + [_cell(value.get(key)) for key in _VALUE]
    blank: list[Cell] = [None] * (len(TABLE) - 4)
    for stage in book["stages"]:
        row = blank.copy()
        row[1] = "stage"
        yield [*row, stage["stage"], stage["name"], float(stage["min_score"]), None]
    for number, rule in enumerate(book["scoring"] + [book["missing"]], start=1):
        row = blank.copy()
        row[1], row[3] = "scoring_rule", rule
        yield [*row, str(number), None, None, None]


def codebook_csv(book: dict[str, Any]) -> bytes:
    """The codebook table as CSV."""
    return "".join(csv_line(row) for row in codebook_table(book)).encode()


def labels_table(book: dict[str, Any]) -> Iterator[list[Cell]]:
    """Every coded value with its label and SPSS code: the XLSX export's `labels` sheet."""
    yield ["variable", "value", "label", "spss_code"]
    for variable in book["variables"]:
        for value in variable.get("values") or []:
            code = _cell(value.get("spss_code"))
            yield [variable["variable"], value["value"], value["label"], code]


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str | bool):
        return value
    return float(value)


def codebook_markdown(book: dict[str, Any]) -> str:
    """The codebook as Markdown."""
    lang = book["language"]
    q = book["questionnaire"]
    lines = [f"# {WORDS['title'][lang]}: {q['title']} ({q['id']} v{q['version']})", ""]
    if "rows" in book:
        lines += [f"{book['rows']} {WORDS['rows'][lang]}.", ""]
    lines += [f"## {WORDS['columns'][lang]}", ""]
    lines += [
        "| variable | type | meaning | scoring | values |",
        "|---|---|---|---|---|",
    ]
    for v in book["variables"]:
        values = "; ".join(
            f"`{x['value']}` = {x['label']}"
            + (f", score {x['score']:g}" if "score" in x else "")
            + (f" (SPSS {x['spss_code']})" if "spss_code" in x else "")
            for x in v.get("values", [])
        )
        kind = WORDS["text" if v["type"] == "text" else "number"][lang]
        scoring = ", ".join(f"{name} {_fact(v[name])}" for name in _SCORING_FACTS if name in v)
        lines.append(
            f"| `{v['variable']}` | {kind} | {_md(v['meaning'])} | {scoring} | {_md(values)} |"
        )
    lines += ["", f"## {WORDS['scoring'][lang]}", ""] + [f"- {r}" for r in book["scoring"]]
    lines += [f"- {book['missing']}"]
    lines += [f"- {s['stage']}: {s['name']} ≥ {s['min_score']:g}" for s in book["stages"]]
    lines += ["", f"## {WORDS['privacy'][lang]}", ""] + [f"- {r}" for r in book["anonymity"]]
    if "item_statistics" in book:
        lines += _statistics(book["item_statistics"], lang)
    return "\n".join(lines) + "\n"


def _statistics(statistics: dict[str, Any], lang: str) -> list[str]:
    lines = ["", f"## {WORDS['stats'][lang]}", "", WORDS["stats_note"][lang], ""]
    lines += [WORDS["icc_note"][lang], ""]
    lines += [
        "| dimension / item | n | mean | sd | r(it) | alpha / alpha if deleted |",
        "|---|---|---|---|---|---|",
    ]
    for dim_id, dim in statistics["dimensions"].items():
        kind = " (std.)" if dim["standardised"] else ""
        lines.append(f"| **{dim_id}** | {dim['n']} | | | | {_figure(dim['alpha'])}{kind} |")
        for item_id, f in dim["items"].items():
            name = item_id if f["in_alpha"] else f"{item_id} (lead)"
            lines.append(
                f"| {name} | {f['n']} | {_figure(f['mean'])} | {_figure(f['sd'])} | "
                f"{_figure(f['item_total_r'])} | {_figure(f['alpha_if_deleted'])} |"
            )
    return lines


def _fact(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value).lower()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"
