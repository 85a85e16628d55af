"""Reading a jurors' table (CSV or XLSX) and checking each line: a pure core, no Flask or
database. Problems are codes with the offending value; the page words them in the
organizer's language.

Columns (header names in en/ru/kk, any order): name, e-mail, languages, categories, school,
region, capacity. Languages are codes or names ("kk, ru", "қазақша; русский"); categories are
names in any language, or empty / "all" for every category; capacity is empty (no limit) or
a whole number of essays."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

MAX_ROWS = 2000
EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
HEADERS = {
    "name": {"name", "full name", "фио", "имя", "аты-жөні", "аты жөні", "толық аты"},
    "email": {"email", "e-mail", "почта", "электронная почта", "эл. почта", "электрондық пошта"},
    "languages": {"languages", "language", "языки", "язык", "тілдері", "тілі", "тілдер"},
    "categories": {"categories", "category", "категории", "категория", "санаттар", "санат"},
    "school": {"school", "школа", "мектеп", "организация", "ұйым"},
    "region": {"region", "регион", "область", "облыс", "өңір"},
    "capacity": {"capacity", "нагрузка", "лимит", "эссе", "жүктеме"},
}
LANGUAGE_WORDS = {
    "kk": {"kk", "kz", "kaz", "kazakh", "қазақ", "қазақша", "казахский", "каз"},
    "ru": {"ru", "rus", "russian", "русский", "орыс", "орысша", "рус"},
    "en": {"en", "eng", "english", "английский", "ағылшын", "ағылшынша", "англ"},
}
ALL_WORDS = {"", "all", "все", "всё", "барлығы", "барлық", "*"}


class TableError(ValueError):
    """The file as a whole cannot be read: `code` says why (see the import page)."""

    def __init__(self, code: str, value: str = ""):
        super().__init__(code)
        self.code, self.value = code, value


@dataclass
class Line:
    line: int
    values: dict[str, str]


def _norm(text) -> str:
    return " ".join(str(text if text is not None else "").split())


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """Rows of cell texts from a .csv (UTF-8, ',' or ';') or .xlsx file."""
    name = filename.lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise TableError("format")


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1251")
        except UnicodeDecodeError:
            raise TableError("encoding") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    return [[_norm(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # a broken or disguised file: openpyxl raises many kinds
        raise TableError("unreadable") from None
    try:
        sheet = book.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 1:
                break
            rows.append([_norm(int(c) if isinstance(c, float) and c.is_integer() else c) for c in row])
        return rows
    finally:
        book.close()


def lines_of(rows: list[list[str]]) -> list[Line]:
    """Map the header row to our columns; each later non-empty row becomes a Line (1-based line
    numbers as a spreadsheet shows them)."""
    if not rows:
        raise TableError("empty")
    columns = {}
    for index, title in enumerate(rows[0]):
        key = next((k for k, names in HEADERS.items() if _norm(title).casefold() in names), None)
        if key and key not in columns:
            columns[key] = index
    missing = [k for k in ("name", "email") if k not in columns]
    if missing:
        raise TableError("columns", ", ".join(missing))
    if len(rows) - 1 > MAX_ROWS:
        raise TableError("too_many", str(MAX_ROWS))
    lines = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(row):
            continue
        values = {k: (row[i] if i < len(row) else "") for k, i in columns.items()}
        lines.append(Line(number, values))
    return lines


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;/|]+", text or "") if part.strip()]


def check_line(line: Line, *, categories: dict[int, list[str]], seen: set[str],
               taken: dict[str, str]) -> dict:
    """One line's parsed values and problems. `categories`: id -> names in every language;
    `seen`: e-mails earlier in the file (updated); `taken`: e-mail -> role of existing users."""
    v, problems = line.values, []
    name, email = v.get("name", ""), v.get("email", "").lower()
    if not name:
        problems.append({"code": "no_name", "value": ""})
    elif len(name) > 200:
        problems.append({"code": "too_long", "value": name[:40]})
    if not EMAIL.match(email) or len(email) > 254:
        problems.append({"code": "bad_email", "value": email[:80]})
    elif email in seen:
        problems.append({"code": "duplicate", "value": email})
    elif taken.get(email, "juror") != "juror":
        problems.append({"code": "not_juror", "value": email})
    seen.add(email)
    languages = []
    for word in _split(v.get("languages", "")):
        code = next((c for c, words in LANGUAGE_WORDS.items() if word.casefold() in words), None)
        if code is None:
            problems.append({"code": "bad_language", "value": word[:40]})
        elif code not in languages:
            languages.append(code)
    if not languages and not any(p["code"] == "bad_language" for p in problems):
        problems.append({"code": "no_language", "value": ""})
    category_ids = _categories(v.get("categories", ""), categories, problems)
    capacity = None
    if v.get("capacity"):
        if v["capacity"].isdigit() and int(v["capacity"]) >= 1:
            capacity = int(v["capacity"])
        else:
            problems.append({"code": "bad_capacity", "value": v["capacity"][:20]})
    return {"line": line.line, "name": name[:200], "email": email[:254], "languages": languages,
            "category_ids": category_ids, "school": v.get("school", "")[:200],
            "region": v.get("region", "")[:120],
            "capacity": capacity, "problems": problems, "outcome": ""}


def _categories(text: str, categories: dict[int, list[str]], problems: list) -> list[int]:
    if text.casefold().strip() in ALL_WORDS:
        return sorted(categories)
    found = []
    for word in _split(text):
        match = next((cid for cid, names in categories.items()
                      if word.casefold() in {n.casefold() for n in names}), None)
        if match is None:
            problems.append({"code": "unknown_category", "value": word[:60]})
        elif match not in found:
            found.append(match)
    return sorted(found)


def check_table(rows: list[list[str]], *, categories: dict[int, list[str]],
                taken: dict[str, str]) -> list[dict]:
    """Every line checked; raises TableError for a file that cannot be used at all."""
    seen: set[str] = set()
    return [check_line(line, categories=categories, seen=seen, taken=taken) for line in lines_of(rows)]
