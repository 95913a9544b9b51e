"""Writing an export table as CSV, streamed: UTF-8 with a byte order mark so Excel reads it as
such, handed out in chunks of many rows, never the whole file at once.

Cells are encoded by the csv module itself (its quoting, Excel's dialect), a fragment at a
time so the answers table can reuse the fragments that repeat. Cells were neutralised against
formula injection when the rows were made.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from accredit.services.cohorts.exports_rows import Table

BOM = "\ufeff"
LINE_END = "\r\n"  # the csv module's (Excel's) line ending
#: Characters of CSV gathered before a chunk is handed to the response.
FLUSH_AT = 512 * 1024
CSV_MEDIA_TYPE = "text/csv"


class CsvCodec:
    """Cells to CSV text with the csv module's quoting, without the line end."""

    separator = ","

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator=LINE_END)

    def __call__(self, column: int, *values: object) -> str:
        if len(values) == 1 and (values[0] is None or values[0] == ""):
            return ""  # csv writes a lone empty cell as "" so that a line is never blank
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue()[: -len(LINE_END)]


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The table as UTF-8 CSV with a byte order mark, a chunk of many rows at a time."""
    codec = CsvCodec()
    held = [BOM, codec(0, *(column.header for column in table.columns)), LINE_END]
    size = 0
    for rows in table.render(codec):
        if not rows:
            continue
        text = LINE_END.join(rows)
        held.append(text)
        held.append(LINE_END)
        size += len(text)
        if size >= FLUSH_AT:
            yield "".join(held).encode("utf-8")
            held, size = [], 0
    yield "".join(held).encode("utf-8")
