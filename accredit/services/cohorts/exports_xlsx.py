"""Writing an export table as an Excel workbook (XLSX), as a file for a background job.

Each sheet has a bold header row, panes frozen below it and set column widths; numbers are
numbers, dates are dates with a number format, text is text. Past Excel's 1,048,576 rows a
sheet ends and the rows go on to the next ("Answers (2)").

openpyxl (in write-only mode) makes the workbook around the rows: the styles the cells use,
the workbook and its relationships, the content types. The rows themselves are written here
as SpreadsheetML, from the fragments the table encodes once and reuses, because openpyxl
spends about 10 µs a cell: some 230 s for the 1.2 million rows of a 10,000-organisation
cohort, most of the job time bound, where this takes seconds. Fragments carry a placeholder
for the row number, filled in as each row is written.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from accredit.services.cohorts.exports_rows import DATE_FORMAT, DATETIME_FORMAT, Column, Table

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel's rows per sheet, the header row included.
EXCEL_MAX_ROWS = 1_048_576
#: Excel's characters per cell.
EXCEL_MAX_CHARS = 32_767
#: Stands for the row number inside a fragment. XML cannot carry it, so no text can hold it
#: (illegal characters are removed from text before it is written).
ROW = "\x00"
#: Characters of XML gathered before they are compressed into the file.
FLUSH_AT = 1 << 20
_EPOCH = datetime(1899, 12, 30)
_XML_ESCAPES = {"\r": "&#13;"}  # XML readers turn a bare carriage return into a line feed
_NAMESPACES = (
    'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)


@dataclass(frozen=True, slots=True)
class Styles:
    """Cell style ids, as registered with the workbook openpyxl writes."""

    bold: int
    date: int
    datetime: int
    #: Column index -> the style of the column's number format.
    columns: dict[int, int]


def _register(sheet: WriteOnlyWorksheet, columns: Sequence[Column]) -> Styles:
    def style(number_format: str | None = None, bold: bool = False) -> int:
        cell = WriteOnlyCell(sheet)
        if bold:
            cell.font = Font(bold=True)
        if number_format:
            cell.number_format = number_format
        return int(cell.style_id)

    return Styles(
        bold=style(bold=True),
        date=style(DATE_FORMAT),
        datetime=style(DATETIME_FORMAT),
        columns={i: style(c.number_format) for i, c in enumerate(columns) if c.number_format},
    )


#: Characters XML 1.0 does not allow in a document (controls, lone surrogates, U+FFFE/U+FFFF):
#: typed text can hold them, and one would make the whole workbook unreadable.
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def text(value: str) -> str:
    """Text as an XML text node Excel accepts: no characters XML refuses, at most a cell's
    worth, markup escaped, carriage returns kept."""
    value = value[:EXCEL_MAX_CHARS]
    if NOT_XML.search(value):
        value = NOT_XML.sub("", value)
    return escape(value, _XML_ESCAPES)


class XmlCodec:
    """Cells as SpreadsheetML ``<c>`` elements; a blank cell is left out."""

    separator = ""

    def __init__(self, styles: Styles, width: int) -> None:
        self.styles = styles
        self._refs = [f' r="{get_column_letter(i + 1)}{ROW}"' for i in range(width)]

    def __call__(self, column: int, *values: object) -> str:
        return "".join(self.cell(column + n, value) for n, value in enumerate(values))

    def cell(self, column: int, value: object, style: int | None = None) -> str:
        if value is None:
            return ""
        ref = self._refs[column]
        style = style if style is not None else self.styles.columns.get(column)
        number: int | float
        if isinstance(value, str):
            styled = f' s="{style}"' if style else ""
            content = f'<is><t xml:space="preserve">{text(value)}</t></is>'
            return f'<c{ref} t="inlineStr"{styled}>{content}</c>'
        if isinstance(value, bool):
            return f'<c{ref} t="b"><v>{int(value)}</v></c>'
        if isinstance(value, datetime):
            number = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
            style = style or self.styles.datetime
        elif isinstance(value, date):
            number = (value - _EPOCH.date()).days
            style = style or self.styles.date
        elif isinstance(value, int | float):
            if not math.isfinite(value):
                return ""
            number = value
        else:
            return self.cell(column, str(value), style)
        styled = f' s="{style}"' if style else ""
        return f"<c{ref}{styled}><v>{number!r}</v></c>"


class _Sheets:
    """The workbook's sheets as they fill: each a zip entry written as rows arrive."""

    def __init__(self, out: zipfile.ZipFile, workbook: Workbook, table: Table, max_rows: int):
        self.out, self.workbook, self.table, self.max_rows = out, workbook, table, max_rows
        first: WriteOnlyWorksheet = workbook.create_sheet(table.title[:31])
        self.styles = _register(first, table.columns)
        self.codec = XmlCodec(self.styles, len(table.columns))
        self.paths: list[str] = []
        self.written = 0
        self._stream: IO[bytes] | None = None
        self._held: list[str] = []
        self._size = 0
        self._row = 0

    def add(self, body: str) -> None:
        if self._stream is None or self._row >= self.max_rows:
            self._next()
        self._row += 1
        number = str(self._row)
        row = f'<row r="{number}">{body.replace(ROW, number)}</row>'
        self._held.append(row)
        self._size += len(row)
        self.written += 1
        if self._size >= FLUSH_AT:
            self._flush()

    def close(self) -> None:
        if self._stream is None:
            self._next()  # a table with no rows still has its header
        self._end()

    def _next(self) -> None:
        if self._stream is not None:
            self._end()
        number = len(self.paths) + 1
        if number > 1:
            self.workbook.create_sheet(f"{self.table.title[:24]} ({number})")
        self.paths.append(f"xl/worksheets/sheet{number}.xml")
        self._stream = self.out.open(self.paths[-1], "w", force_zip64=True)
        header = "".join(
            self.codec.cell(i, column.header, self.styles.bold)
            for i, column in enumerate(self.table.columns)
        )
        self._held.append(_head(self.table.columns, selected=number == 1))
        self._held.append(f'<row r="1">{header.replace(ROW, "1")}</row>')
        self._row = 1

    def _flush(self) -> None:
        assert self._stream is not None
        self._stream.write("".join(self._held).encode("utf-8"))
        self._held, self._size = [], 0

    def _end(self) -> None:
        self._held.append("</sheetData></worksheet>")
        self._flush()
        assert self._stream is not None
        self._stream.close()
        self._stream = None


def _head(columns: Sequence[Column], selected: bool) -> str:
    widths = "".join(
        f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
        for i, c in enumerate(columns, 1)
    )
    tab = ' tabSelected="1"' if selected else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NAMESPACES}>'
        f'<sheetViews><sheetView workbookViewId="0"{tab}>'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{widths}</cols><sheetData>'
    )


def write_xlsx(table: Table, path: Path, max_rows: int = EXCEL_MAX_ROWS) -> int:
    """Write the table to ``path``; the number of data rows written."""
    workbook = Workbook(write_only=True)
    with zipfile.ZipFile(
        path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1, allowZip64=True
    ) as out:
        sheets = _Sheets(out, workbook, table, max_rows)
        for rows in table.render(sheets.codec):
            for body in rows:
                sheets.add(body)
        sheets.close()
        # The rest of the package, from openpyxl: it names the sheets as they were written.
        skeleton = io.BytesIO()
        workbook.save(skeleton)
        named = [sheet.path.lstrip("/") for sheet in workbook.worksheets]
        if named != sheets.paths:
            raise RuntimeError(f"openpyxl named the sheets {named}, not {sheets.paths}")
        with zipfile.ZipFile(skeleton) as parts:
            for info in parts.infolist():
                if info.filename not in sheets.paths:
                    out.writestr(info.filename, parts.read(info), zipfile.ZIP_DEFLATED)
    return sheets.written
