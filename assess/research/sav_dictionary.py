"""The dictionary of an uncompressed SPSS .sav file (system file format, IBM's "SPSS
Statistics file formats"): the header, a variable record per variable with its label and
missing values, value labels, and the extension records SPSS and other readers expect.

Written as ReadStat (through pyreadstat) writes it, byte for byte, which the tests check:
short names are the first 8 characters in capitals, else V1, V2, … (base 36); numbers are
F8.2 and texts A<width>, display width 8, numbers right-aligned; a value label holds at
most 120 bytes, a variable label 256 (cut between characters). Writing it here rather than
through pyreadstat keeps pandas (some 40 MB) out of the export's process.
"""

from __future__ import annotations

import struct
import time
from collections.abc import Iterator
from typing import Any

PRODUCT = b"@(#) SPSS DATA FILE - https://github.com/WizardMac/ReadStat"
NUMBER_FORMAT = (5 << 16) | (8 << 8) | 2  # F8.2
CONTINUATION_FORMAT = 0x011D01  # what a text variable's continuation records carry
MEASURES = {"nominal": 1, "ordinal": 2, "scale": 3}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SYSMIS, _HIGHEST, _LOWEST = (
    bytes.fromhex(h) for h in ("ffffffffffffefff", "ffffffffffffef7f", "feffffffffffefff")
)


class SavVariable:
    """One variable of the dictionary: its name, its width (0: a number; else a text of
    that many bytes), label, value labels, missing values (numbers, or one range given as
    {"lo", "hi"}) and measure."""

    def __init__(
        self,
        name: str,
        *,
        width: int = 0,
        label: str = "",
        value_labels: dict[Any, str] | None = None,
        missing: list[Any] | None = None,
        measure: str = "nominal",
    ) -> None:
        if width > 255 or (width and (value_labels or missing)):
            raise ValueError(f"{name}: only texts of up to 255 bytes, without labels or missing")
        self.name = name
        self.width = width
        self.label = label
        self.value_labels = value_labels or {}
        self.missing = missing or []
        self.measure = measure

    @property
    def slots(self) -> int:
        """8-byte slots the variable takes in a case."""
        return max(1, (self.width + 7) // 8)


def sav_dictionary(variables: list[SavVariable], cases: int, when: float | None = None) -> bytes:
    """The dictionary of a file of `cases` cases of these variables, created at `when`."""
    short = _short_names([v.name for v in variables])
    records = [_header(variables, cases, time.localtime(when))]
    for variable, name in zip(variables, short, strict=True):
        records.extend(_variable(variable, name))
    records.extend(_value_labels(variables))
    records.append(_extension(3, 4, struct.pack("<8i", 20, 0, 0, -1, 1, 1, 2, 65001)))
    records.append(_extension(4, 8, _SYSMIS + _HIGHEST + _LOWEST))
    records.append(_extension(20, 1, b"UTF-8"))
    display = b"".join(
        struct.pack("<3i", MEASURES[v.measure], 8, 0 if v.width else 1) for v in variables
    )
    records.append(_extension(11, 4, display))
    names = "\t".join(f"{s}={v.name[:64]}" for v, s in zip(variables, short, strict=True))
    records.append(_extension(13, 1, names.encode()))
    records.append(_extension(16, 8, struct.pack("<2q", 1, cases)))
    records.append(struct.pack("<2i", 999, 0))
    return b"".join(records)


def _short_names(names: list[str]) -> list[str]:
    """Each name's first 8 characters in capitals; where those are taken, V1, V2, …, V9,
    VA, …, VZ, V10, … (a count in base 36, the next one free)."""
    taken: set[str] = set()
    short = []
    count = 1
    for name in names:
        candidate = name[:8].upper()
        if candidate in taken:
            while f"V{_base36(count)}" in taken:
                count += 1
            candidate = f"V{_base36(count)}"
            count += 1
        taken.add(candidate)
        short.append(candidate)
    return short


def _base36(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + digits
    return digits


def _header(variables: list[SavVariable], cases: int, at: time.struct_time) -> bytes:
    date = f"{at.tm_mday:02d} {MONTHS[at.tm_mon - 1]} {at.tm_year % 100:02d}".encode()
    clock = f"{at.tm_hour:02d}:{at.tm_min:02d}:{at.tm_sec:02d}".encode()
    slots = sum(v.slots for v in variables)
    return (
        b"$FL2"
        + PRODUCT.ljust(60)
        + struct.pack("<5id", 2, slots, 0, 0, cases, 100.0)
        + date
        + clock
        + b" " * 64
        + b"\0" * 3
    )


def _variable(variable: SavVariable, short: str) -> Iterator[bytes]:
    label = _cut(variable.label, 256)
    ranges = [m for m in variable.missing if isinstance(m, dict) and m["lo"] != m["hi"]]
    values = [m["lo"] if isinstance(m, dict) else m for m in variable.missing if m not in ranges]
    count = len(variable.missing) + (1 if ranges else 0)
    if count > 3:
        raise ValueError(f"{variable.name}: at most 3 missing values, or a range and one")
    missing = [ranges[0]["lo"], ranges[0]["hi"]] if ranges else []
    missing += values[: 3 - len(missing)]
    form = (1 << 16) | (variable.width << 8) if variable.width else NUMBER_FORMAT
    yield struct.pack(
        "<5i",
        2,
        variable.width,
        1 if label else 0,
        -count if ranges else count,
        form,
    )
    yield struct.pack("<i", form) + short.encode().ljust(8)
    if label:
        yield struct.pack("<i", len(label)) + label.ljust((len(label) + 3) // 4 * 4)
    yield b"".join(struct.pack("<d", float(m)) for m in missing)
    for _ in range(variable.slots - 1):
        yield struct.pack("<5i", 2, -1, 0, 0, CONTINUATION_FORMAT)
        yield struct.pack("<i", CONTINUATION_FORMAT) + b" " * 8


def _value_labels(variables: list[SavVariable]) -> Iterator[bytes]:
    index = 1  # a variable's place in the dictionary: the slot it starts at, from 1
    for variable in variables:
        if variable.value_labels and not variable.width:
            yield struct.pack("<2i", 3, len(variable.value_labels))
            for value, text in variable.value_labels.items():
                label = _cut(text, 120)
                size = (len(label) + 1 + 7) // 8 * 8 - 1
                yield struct.pack("<dB", float(value), len(label)) + label.ljust(size)
            yield struct.pack("<3i", 4, 1, index)
        index += variable.slots


def _extension(subtype: int, size: int, data: bytes) -> bytes:
    return struct.pack("<4i", 7, subtype, size, len(data) // size) + data


def _cut(text: str, size: int) -> bytes:
    """Text as UTF-8 of at most `size` bytes, cut between characters."""
    return text.encode()[:size].decode(errors="ignore").encode()
