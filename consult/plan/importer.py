"""Import a plan tree from CSV, XLSX or JSON: everything is checked first, then applied at once."""
import logging
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import sqlalchemy as sa
from persiantools import digits

from consult.core.choices import parse_choice
from consult.core.codes import ascii_digits, foreign_numeral, numeral_problem
from consult.core.digits import latin_digits
from consult.core.importing import ImportRefused, Problem, column_size, length_problems, read_table, require_columns
from consult.core.text import text_problem
from consult.core.usage import in_use
from consult.extensions import db
from consult.plan.models import KIND_LABELS, ItemKind, Plan, PlanItem
from consult.plan.text import refresh_text

log = logging.getLogger(__name__)

COLUMNS = ["code", "parent_code", "kind", "title", "description"]
KIND_ALIASES = {"پروژه": ItemKind.PROJECT}  # accepted besides each kind's value and Persian label
# Letters or digits separated by single dots: a code is a URL segment, so no "/" and no "..".
CODE_PATTERN = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")
SIZES = {"code": column_size(PlanItem.code), "parent_code": column_size(PlanItem.code),
         "title": column_size(PlanItem.title)}


def parse_kind(text: str) -> ItemKind | None:
    """The kind named in a plan file: goal or هدف, …, project, طرح or پروژه."""
    return parse_choice(text, KIND_LABELS, KIND_ALIASES)


@dataclass
class ItemRow:
    row: int
    code: str
    parent_code: str
    kind: ItemKind
    title: str
    description: str
    previous_progress: Decimal | None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    kept: int = 0  # in the database, not in the file, kept (has comments or --prune not given)
    deleted: int = 0


def parse_plan_file(source: Path | str | bytes, filename: str | None = None) -> list[ItemRow]:
    """Read and validate a plan file; raise ImportRefused listing every problem."""
    table = read_table(source, filename)
    require_columns(table, COLUMNS)
    problems: list[Problem] = []
    items: list[ItemRow] = []
    seen: dict[str, int] = {}
    for number, values in table.rows:
        values = {**values, **{column: ascii_digits(values.get(column, "")) for column in ("code", "parent_code")}}
        row_problems = _check_row(number, values, seen)
        problems += row_problems
        if row_problems:
            continue
        seen[values["code"]] = number
        items.append(ItemRow(
            row=number,
            code=values["code"],
            parent_code=values.get("parent_code", ""),
            kind=parse_kind(values["kind"]),
            title=values["title"],
            description=values.get("description", ""),
            previous_progress=_progress(values.get("previous_progress", "")),
        ))
    if not problems:
        problems += _check_tree(items)
    if not items and not problems:
        problems.append(Problem(None, None, "پرونده هیچ ردیفی ندارد.", "the file has no rows"))
    if problems:
        raise ImportRefused(problems)
    return items


def _check_row(number: int, values: dict[str, str], seen: dict[str, int]) -> list[Problem]:
    problems = []
    code = values.get("code", "")
    if not code:
        problems.append(Problem(number, "code", "کد خالی است.", "code is empty"))
    elif foreign_numeral(code):
        problems.append(numeral_problem(number, "code", code))
    elif not CODE_PATTERN.fullmatch(code):
        problems.append(Problem(
            number, "code", f"کد «{code}» معتبر نیست؛ فقط حرف و رقم، جداشده با نقطه (مانند 1.2.3).",
            f"invalid code {code!r}: letters or digits separated by dots (like 1.2.3)",
        ))
    elif code in seen:
        problems.append(Problem(
            number, "code",
            f"کد «{code}» تکراری است (ردیف {digits.en_to_fa(str(seen[code]))}).",
            f"duplicate code {code!r} (also row {seen[code]})",
        ))
    if foreign_numeral(values.get("parent_code", "")):
        problems.append(numeral_problem(number, "parent_code", values["parent_code"]))
    if parse_kind(values.get("kind", "")) is None:
        problems.append(Problem(
            number, "kind", f"نوع «{values.get('kind', '')}» معتبر نیست (هدف، راهبرد، سیاست یا طرح).",
            f"unknown kind {values.get('kind', '')!r} (goal, strategy, policy or project)",
        ))
    if not values.get("title", ""):
        problems.append(Problem(number, "title", "عنوان خالی است.", "title is empty"))
    for column in ("code", "title", "description"):
        problem = text_problem(values.get(column, ""), one_line=column != "description")
        if problem:
            problems.append(Problem(number, column, *problem))
    problems += length_problems(number, values, SIZES)
    if values.get("previous_progress", "") and _progress(values["previous_progress"]) is None:
        problems.append(Problem(
            number, "previous_progress", "پیشرفت باید عددی بین ۰ و ۱۰۰ باشد.",
            "previous_progress must be a number from 0 to 100",
        ))
    return problems


def _progress(raw: str) -> Decimal | None:
    text = latin_digits(raw.strip().rstrip("%٪"))
    if not text:
        return None
    try:
        value = Decimal(text.replace("٫", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() and 0 <= value <= 100 else None


def _check_tree(items: list[ItemRow]) -> list[Problem]:
    by_code = {item.code: item for item in items}
    problems = []
    for item in items:
        if not item.parent_code:
            if item.kind != ItemKind.GOAL:
                problems.append(Problem(
                    item.row, "parent_code", f"«{item.kind.label}» بدون والد است؛ تنها هدف‌ها والد ندارند.",
                    f"a {item.kind.value} needs a parent; only goals have none",
                ))
            continue
        parent = by_code.get(item.parent_code)
        if parent is None:
            problems.append(Problem(
                item.row, "parent_code", f"والد «{item.parent_code}» در پرونده نیست.",
                f"unknown parent {item.parent_code!r}",
            ))
            continue
        if _in_cycle(item, by_code):
            problems.append(Problem(item.row, "parent_code", "زنجیرهٔ والدها دور دارد.", "the parent chain has a cycle"))
        elif parent.kind.depth != item.kind.depth - 1:
            problems.append(Problem(
                item.row, "kind",
                f"«{item.kind.label}» نمی‌تواند زیر «{parent.kind.label}» باشد.",
                f"a {item.kind.value} cannot sit under a {parent.kind.value}",
            ))
    return problems


def _in_cycle(item: ItemRow, by_code: dict[str, ItemRow]) -> bool:
    seen, node = set(), item
    while node is not None and node.parent_code:
        if node.code in seen:
            return True
        seen.add(node.code)
        node = by_code.get(node.parent_code)
    return False


def import_plan(plan: Plan, rows: list[ItemRow], *, prune: bool = False) -> ImportResult:
    """Create or update the plan's items from validated rows; the caller commits."""
    result = ImportResult()
    existing = {item.code: item for item in db.session.scalars(sa.select(PlanItem).filter_by(plan_id=plan.id))}
    placed: dict[str, PlanItem] = {}
    for position, row in enumerate(rows):
        item = existing.get(row.code)
        if item is None:
            item = PlanItem(plan=plan, code=row.code)
            db.session.add(item)
            result.created += 1
        else:
            result.updated += 1
        item.kind, item.title, item.description = row.kind, row.title, row.description
        item.position, item.previous_progress = position, row.previous_progress
        refresh_text(item)
        placed[row.code] = item
    # Parents second: a file may list a child before its parent.
    for row in rows:
        placed[row.code].parent = placed[row.parent_code] if row.parent_code else None
    leftovers = [item for code, item in existing.items() if code not in placed]
    commented = in_use("plan_item", [i.id for i in leftovers])
    # Delete deepest first so no child loses its parent before it goes.
    for item in sorted(leftovers, key=lambda i: -i.kind.depth):
        if prune and item.id not in commented and not any(c.code in placed for c in item.children):
            db.session.delete(item)
            result.deleted += 1
        else:
            result.kept += 1
    db.session.flush()
    log.info("plan %s imported: %s", plan.slug, result)
    return result


def get_or_create_plan(slug: str, title: str | None = None) -> Plan:
    """The plan with this slug, created when missing."""
    # Checked before writing: PostgreSQL refuses an over-long value with a DataError.
    for option, value, size in (("--plan", slug, column_size(Plan.slug)),
                                ("--title", title or "", column_size(Plan.title))):
        if len(value) > size:
            raise ImportRefused([Problem(None, None, f"{option} بیش از {digits.en_to_fa(str(size))} نویسه است.",
                                         f"{option} is longer than {size} characters")])
        problem = text_problem(value, one_line=True)
        if problem:
            raise ImportRefused([Problem(None, None, f"{option}: {problem[0]}", f"{option}: {problem[1]}")])
    plan = db.session.scalar(sa.select(Plan).filter_by(slug=slug))
    if plan is None:
        plan = Plan(slug=slug, title=title or slug)
        db.session.add(plan)
        db.session.flush()
    elif title:
        plan.title = title
    return plan
