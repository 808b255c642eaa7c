"""Reading tabular files (CSV, XLSX, JSON) for imports, with problems named by row and column."""
import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from persiantools import digits

from consult.core.errors import ValidationFailed


@dataclass(frozen=True)
class Problem:
    row: int | None  # as a spreadsheet shows it: the header is row 1
    column: str | None
    fa: str
    en: str

    def __str__(self) -> str:
        where_en = ", ".join(filter(None, [f"row {self.row}" if self.row else "",
                                           f"column {self.column}" if self.column else ""]))
        where_fa = "، ".join(filter(None, [f"ردیف {digits.en_to_fa(str(self.row))}" if self.row else "",
                                           f"ستون {self.column}" if self.column else ""]))
        prefix_fa = f"{where_fa}: " if where_fa else ""
        prefix_en = f"{where_en}: " if where_en else ""
        # One line whatever a quoted cell held: a line break in a value would split the message.
        return "".join(ch.encode("unicode_escape").decode() if unicodedata.category(ch) == "Cc" else ch
                       for ch in f"{prefix_fa}{self.fa} — {prefix_en}{self.en}")


class ImportRefused(ValidationFailed):
    """Nothing was imported; `problems` says why, row by row."""

    def __init__(self, problems: list[Problem]):
        first = str(problems[0])
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more, problems)


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number, values)
    absent: list[tuple[int, str]] = field(default_factory=list)  # JSON (row, key) a record left out
    records: bool = False  # JSON records, the first being row 2: no header row to name


def read_table(source: Path | str | bytes, filename: str | None = None) -> Table:
    """Read a CSV (UTF-8, BOM or not), XLSX or JSON file into string cells."""
    name = (filename or str(source if not isinstance(source, bytes) else "")).lower()
    try:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as error:
        raise ImportRefused([Problem(None, None, "پرونده خوانده نشد.",
                                     f"cannot read file ({error.strerror})")]) from None
    if not data.strip():
        raise ImportRefused([Problem(None, None, "پرونده خالی است.", "the file is empty")]) from None
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    if name.endswith(".json"):
        return _read_json(data)
    return _read_csv(data)


def _clean(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused([Problem(None, None, "پرونده با کدگذاری UTF-8 نیست.",
                                     f"the file is not UTF-8 (byte {error.start})")]) from None
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(lines)
    starts = []  # index in `lines` where each record begins
    records = []
    try:
        while True:
            starts.append(reader.line_num)
            records.append(next(reader))
    except StopIteration:
        starts.pop()
    except csv.Error as error:  # e.g. a quote left open past the field size limit: name the row it opened in
        row = len(records) + 1 if records else None
        raise ImportRefused([Problem(row, None, "پرونده CSV خوانا نیست.", f"unreadable CSV ({error})")]) from None
    if not records:
        raise ImportRefused([Problem(None, None, "پرونده CSV خوانا نیست.", "unreadable CSV (no header)")]) from None
    header = [_clean(h) for h in records[0]]
    body = records[1:]
    _refuse_unclosed_quote(header, body, lines[starts[-1]:] if body else [])
    rows = []
    for number, cells in enumerate(body, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append((number, {col: _clean(cells[i]) if i < len(cells) else "" for i, col in enumerate(header)}))
    return Table(header, rows)


def _refuse_unclosed_quote(header: list[str], body: list[list[str]], last_record: list[str]) -> None:
    """Refuse a file where a quote opened in one cell swallowed the rows after it.

    A quoted cell may hold line breaks, so the test is what the cell took in: a line shaped like a
    whole row, more cells than the header, or a quote still open at the end of the file.
    """
    for number, cells in enumerate(body, start=2):
        for index, cell in enumerate(cells):
            if "\n" not in cell and "\r" not in cell:
                continue
            swallowed = len(cells) > len(header) or (len(header) > 1 and any(
                len(next(csv.reader([line]), [])) == len(header) for line in cell.splitlines()[1:]))
            if swallowed:
                raise ImportRefused([_unclosed(number, header, index)])
    if last_record:
        try:
            list(csv.reader(last_record, strict=True))
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise ImportRefused([_unclosed(len(body) + 1, header, len(body[-1]) - 1)]) from None


def _unclosed(number: int, header: list[str], index: int) -> Problem:
    column = header[index] if index < len(header) else None
    return Problem(number, column,
                   "نشانهٔ نقل‌قول (\") در این خانه باز شده و بسته نشده است؛ ردیف‌های بعدی در آن افتاده‌اند.",
                   "a quote (\") opened in this cell is never closed, so it swallows the rows after it")


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise ImportRefused([Problem(None, None, "پرونده اکسل خوانا نیست.",
                                     f"unreadable XLSX ({type(error).__name__})")]) from None
    if not values:
        raise ImportRefused([Problem(None, None, "پرونده خالی است.", "the file is empty")]) from None
    header = [_clean(h) for h in values[0]]
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        if not any(_clean(c) for c in cells):
            continue
        rows.append((number, {col: _clean(cells[i]) if i < len(cells) else "" for i, col in enumerate(header) if col}))
    return Table([h for h in header if h], rows)


def _read_json(data: bytes) -> Table:
    # ValueError covers bad JSON and integers past Python's digit limit; RecursionError, deep nesting.
    try:
        payload = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)[:200]
        raise ImportRefused([Problem(None, None, "پرونده JSON خوانا نیست.", f"unreadable JSON ({reason})")]) from None
    if isinstance(payload, dict):
        payload = payload.get("items", [])
    if not isinstance(payload, list) or not all(isinstance(r, dict) for r in payload):
        raise ImportRefused([Problem(None, None, "JSON باید فهرستی از اشیا باشد.",
                                     "JSON must be a list of objects")]) from None
    columns = list(dict.fromkeys(k for r in payload for k in r))
    # Number JSON records like spreadsheet rows, so messages read the same everywhere.
    problems = [problem for i, r in enumerate(payload, start=2) for k, v in r.items()
                for problem in _json_value_problems(i, k, v)]
    if problems:
        raise ImportRefused(problems)
    rows = [(i, {k: _clean(r.get(k)) for k in columns}) for i, r in enumerate(payload, start=2)]
    absent = [(i, k) for i, r in enumerate(payload, start=2) for k in columns if k not in r]
    return Table(columns, rows, absent, records=bool(payload))


def _json_value_problems(number: int, key: str, value) -> list[Problem]:
    column = key.encode("utf-8", "backslashreplace").decode()  # printable even with a lone surrogate
    # A cell is text, a number or empty; a list or object would be stored as its Python repr.
    if isinstance(value, bool):
        return [Problem(number, column, "مقدار باید متن یا عدد باشد، نه true یا false.",
                        "value must be text or a number, not true or false")]
    if not isinstance(value, str | int | float | None):
        return [Problem(number, column, "مقدار باید متن یا عدد باشد، نه فهرست یا شیء.",
                        "value must be text or a number")]
    if any(_lone_surrogate(text) for text in (key, value) if isinstance(text, str)):
        return [Problem(number, column, "متن نویسهٔ نامعتبر یونیکد دارد.", "text contains an invalid Unicode surrogate")]
    return []


def _lone_surrogate(text: str) -> bool:
    # JSON's \ud800 escape decodes to a half of a pair that no database or terminal can encode.
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def require_columns(table: Table, required: list[str]) -> None:
    """Refuse a table that lacks any required column, or a JSON record that lacks a required key."""
    missing = [c for c in required if c not in table.columns]
    if missing and table.records:  # JSON has no header row: the first record (row 2) lacks the key
        raise ImportRefused([Problem(2, c, "این رکورد کلید لازم را ندارد (هیچ رکوردی آن را ندارد).",
                                     "record lacks a required key (no record has it)") for c in missing])
    if missing:
        raise ImportRefused([
            Problem(1, c, "ستون لازم وجود ندارد.", "required column is missing") for c in missing
        ])
    absent = [(row, key) for row, key in table.absent if key in required]
    if absent:
        raise ImportRefused([Problem(row, key, "این رکورد کلید لازم را ندارد.", "record lacks a required key")
                             for row, key in absent])


def column_size(attribute) -> int | None:
    """The length of a model's String column (None for Text): longer text fails on PostgreSQL."""
    return getattr(attribute.property.columns[0].type, "length", None)


def length_problems(number: int, values: dict[str, str], sizes: dict[str, int | None]) -> list[Problem]:
    """A problem for each value longer than its column allows."""
    return [
        Problem(number, column, f"متن بیش از {digits.en_to_fa(str(size))} نویسه است.",
                f"longer than {size} characters")
        for column, size in sizes.items() if size and len(values.get(column, "")) > size
    ]
