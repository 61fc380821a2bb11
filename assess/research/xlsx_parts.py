"""The parts of an XLSX workbook other than its rows: the package's content types and
relations, the workbook's list of sheets, the styles, and the notes sheet of an export
that needs more than one data sheet."""

from __future__ import annotations

from assess.domain.export_text import Cell

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
NOTES = {
    "de": "Dieser Export hat {rows} Zeilen. Ein Blatt fasst unter seiner Kopfzeile höchstens "
    "{limit} Zeilen, daher stehen die Zeilen auf {sheets} Blättern, in dieser Reihenfolge:",
    "en": "This export has {rows} rows. A sheet holds at most {limit} rows below its header, "
    "so the rows are on {sheets} sheets, in this order:",
}


def sheet_start(rows: bytes) -> bytes:
    """A worksheet's XML up to and with its first `rows`."""
    return f'{HEAD}<worksheet xmlns="{MAIN}"><sheetData>'.encode() + rows


def notes(data: list[str], rows: int, per_sheet: int, language: str) -> list[list[Cell]]:
    """The notes sheet: why the rows are on more than one sheet, and which are where."""
    note = NOTES.get(language, NOTES["en"])
    text = note.format(rows=f"{rows:,}", limit=f"{per_sheet:,}", sheets=len(data))
    table: list[list[Cell]] = [[text], ["sheet", "first_row", "last_row"]]
    for n, name in enumerate(data):
        table.append([name, float(n * per_sheet + 1), float(min(rows, (n + 1) * per_sheet))])
    return table


def workbook_parts(names: list[str]) -> list[tuple[str, str]]:
    """The workbook's parts other than its sheets, for sheets named `names` in order."""
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{sheet}.worksheet+xml"/>'
        for n in range(1, len(names) + 1)
    ]
    types = (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{sheet}.sheet.main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{sheet}.styles+xml"/>'
        + "".join(overrides)
        + "</Types>"
    )
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    root = (
        f'{HEAD}<Relationships xmlns="{package}"><Relationship Id="rId1" '
        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheets = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(names, 1)
    )
    workbook = (
        f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{sheets}</sheets></workbook>'
    )
    links = [
        f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, len(names) + 1)
    ]
    links.append(
        f'<Relationship Id="rId{len(names) + 1}" Type="{RELS}/styles" Target="styles.xml"/>'
    )
    rels = f'{HEAD}<Relationships xmlns="{package}">{"".join(links)}</Relationships>'
    return [
        ("[Content_Types].xml", types),
        ("_rels/.rels", root),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/styles.xml", STYLES),
    ]


# Style 1 marks a text cell as quote-prefixed: Excel keeps it text when it is edited.
STYLES = (
    f'{HEAD}<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def letters(j: int) -> str:
    """Column `j` (from 0) as Excel names it: A, …, Z, AA, …"""
    name = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        name = chr(ord("A") + rest) + name
    return name
