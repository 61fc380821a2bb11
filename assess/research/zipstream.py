"""A ZIP archive written as a stream of bytes: each member deflated as it comes, its size
and checksum in a data descriptor after it, so nothing is held back or sought. ZIP64
fields appear only where a size or an offset does not fit in 32 bits."""

from __future__ import annotations

import struct

from isal import isal_zlib

LIMIT = 0xFFFFFFFF  # what a classic ZIP field holds; from here on ZIP64 fields
LEVEL = 1  # ISA-L deflate level (0-3): XML shrinks ~10x at 1, in a quarter of zlib's time
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01: the same file for the same rows
_STREAMED = 0x08  # general purpose flag: sizes and CRC follow the data


class ZipStream:
    """Members one after another: `start`, `write`…, `finish`; then `close` for the
    central directory. Each call returns the bytes that go next into the file."""

    def __init__(self) -> None:
        self._offset = 0
        self._entries: list[tuple[bytes, int, int, int, int]] = []  # name, crc, sizes, at
        self._name = b""
        self._crc = 0
        self._size = 0
        self._packed = 0
        self._at = 0
        self._deflate: isal_zlib.Compress | None = None

    def start(self, name: str) -> bytes:
        """The local header of member `name`."""
        if self._deflate is not None:
            raise RuntimeError(f"member {self._name.decode()} is not finished")
        self._name = name.encode()
        self._crc = self._size = self._packed = 0
        self._at = self._offset
        self._deflate = isal_zlib.compressobj(LEVEL, isal_zlib.DEFLATED, -15)
        header = struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, _STREAMED, 8, 0, _DOS_DATE, 0, 0, 0, len(self._name), 0
        )
        return self._out(header + self._name)

    def write(self, data: bytes | memoryview) -> bytes:
        """Deflated bytes of `data`, as far as the compressor gives them out yet."""
        if self._deflate is None:
            raise RuntimeError("no member started")
        self._crc = isal_zlib.crc32(data, self._crc)
        self._size += len(data)
        return self._out(self._packed_bytes(self._deflate.compress(data)))

    def finish(self) -> bytes:
        """The rest of the member's data and its data descriptor."""
        if self._deflate is None:
            raise RuntimeError("no member started")
        tail = self._packed_bytes(self._deflate.flush())
        self._deflate = None
        wide = self._size >= LIMIT or self._packed >= LIMIT
        fmt = "<IIQQ" if wide else "<IIII"
        descriptor = struct.pack(fmt, 0x08074B50, self._crc, self._packed, self._size)
        self._entries.append((self._name, self._crc, self._packed, self._size, self._at))
        return self._out(tail + descriptor)

    def close(self) -> bytes:
        """The central directory and the end records."""
        if self._deflate is not None:
            raise RuntimeError(f"member {self._name.decode()} is not finished")
        start = self._offset
        directory = []
        for name, crc, packed, size, at in self._entries:
            wide = max(packed, size, at) >= LIMIT
            extra = struct.pack("<HHQQQ", 1, 24, size, packed, at) if wide else b""
            fields = (0xFFFFFFFF,) * 3 if wide else (packed, size, at)
            version = 45 if wide else 20
            directory.append(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    version,
                    version,
                    _STREAMED,
                    8,
                    0,
                    _DOS_DATE,
                    crc,
                    fields[0],
                    fields[1],
                    len(name),
                    len(extra),
                    0,
                    0,
                    0,
                    0,
                    fields[2],
                )
                + name
                + extra
            )
        body = b"".join(directory)
        count = len(self._entries)
        end = b""
        if max(start, len(body)) >= LIMIT or count >= 0xFFFF:
            record = struct.pack(
                "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(body), start
            )
            locator = struct.pack("<IIQI", 0x07064B50, 0, start + len(body), 1)
            end = record + locator
            count, size, at = 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF
        else:
            size, at = len(body), start
        end += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, at, 0)
        return self._out(body + end)

    def _packed_bytes(self, data: bytes) -> bytes:
        self._packed += len(data)
        return data

    def _out(self, data: bytes) -> bytes:
        self._offset += len(data)
        return data
