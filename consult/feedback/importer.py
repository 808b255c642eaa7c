"""Import comments collected on paper or in spreadsheets: all rows or none."""
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from persiantools import digits

from consult.auth.labels import AFFILIATION_LABELS
from consult.auth.models import Affiliation, Role, User
from consult.consultations.models import Consultation, Participant, ParticipantRole
from consult.core.choices import parse_choice
from consult.core.codes import ascii_digits, foreign_numeral, numeral_problem
from consult.core.digits import latin_digits
from consult.core.importing import ImportRefused, Problem, column_size, length_problems, read_table, require_columns
from consult.core.text import text_problem
from consult.core.time import parse_moment
from consult.extensions import db
from consult.feedback.models import STANCE_LABELS, Comment, Rating, Stance
from consult.feedback.services import content_problems
from consult.feedback.text import refresh_text
from consult.plan.models import PlanItem

log = logging.getLogger(__name__)

COLUMNS = ["author_email", "author_name", "affiliation", "plan_item_code", "stance", "body", "amendment",
           "submitted_at"]
# Spellings accepted besides each value and its Persian label.
STANCE_ALIASES = {"اصلاح": Stance.AMEND}
AFFILIATION_ALIASES = {"اجرایی": Affiliation.EXECUTIVE}
SIZES = {"author_name": column_size(User.display_name)}


@dataclass
class CommentRow:
    row: int
    email: str
    name: str
    affiliation: Affiliation
    item_code: str
    stance: Stance
    body: str
    amendment: str
    submitted_at: datetime | None
    ratings: dict[str, int] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


def parse_comment_file(consultation: Consultation, source: Path | str | bytes,
                       filename: str | None = None) -> list[CommentRow]:
    """Read and validate a comment file against a consultation; raise ImportRefused on any problem."""
    table = read_table(source, filename)
    require_columns(table, COLUMNS)
    criteria = {c.slug for c in consultation.criteria}
    codes = set(db.session.scalars(sa.select(PlanItem.code).filter_by(plan_id=consultation.plan_id)))
    problems: list[Problem] = []
    parsed: list[CommentRow] = []
    first_row: dict[tuple[str, str], int] = {}
    for number, values in table.rows:
        row_problems, row = _check_row(number, values, codes, criteria)
        problems += row_problems
        if row is None:
            continue
        if row.item_code:
            key = (row.email, row.item_code)
            if key in first_row:
                problems.append(Problem(
                    number, "plan_item_code",
                    f"این نویسنده برای همین بند در ردیف {digits.en_to_fa(str(first_row[key]))} هم نظر دارد؛ "
                    "هر نفر یک نظر برای هر بند.",
                    f"second comment by {row.email} on {row.item_code} (rows {first_row[key]} and {number})",
                ))
                continue
            first_row[key] = number
        parsed.append(row)
    problems += _check_existing(consultation, parsed)
    if not parsed and not problems:
        problems.append(Problem(None, None, "پرونده هیچ ردیفی ندارد.", "the file has no rows"))
    if problems:
        raise ImportRefused(problems)
    return parsed


def _code_problems(number: int, code: str, codes: set[str]) -> list[Problem]:
    if foreign_numeral(code):
        return [numeral_problem(number, "plan_item_code", code)]
    if code and code not in codes:
        return [Problem(number, "plan_item_code", f"بند «{code}» در برنامه نیست.", f"unknown plan item {code!r}")]
    return []


def _check_row(number, values, codes, criteria):
    problems = []
    try:
        email = validate_email(values["author_email"], check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        email = ""
        problems.append(Problem(number, "author_email", "نشانی رایانامه معتبر نیست.", "invalid email address"))
    affiliation = parse_choice(values["affiliation"] or Affiliation.OTHER.value, AFFILIATION_LABELS,
                               AFFILIATION_ALIASES)
    if affiliation is None:
        problems.append(Problem(number, "affiliation", "وابستگی معتبر نیست.",
                                f"unknown affiliation {values['affiliation']!r}"))
    code = ascii_digits(values["plan_item_code"])
    problems += _code_problems(number, code, codes)
    stance = parse_choice(values["stance"], STANCE_LABELS, STANCE_ALIASES)
    if stance is None:
        problems.append(Problem(number, "stance", "موضع باید موافق، مخالف یا اصلاحی باشد.",
                                "stance must be agree, disagree or amend"))
    body, amendment, diagnosis = values["body"], values["amendment"], values.get("diagnosis", "")
    # The same rules as the web form, counted the same way; the service names the column.
    problems += [replace(problem, row=number) for problem in content_problems(stance, body, amendment, diagnosis)]
    problem = text_problem(values.get("author_name", ""), one_line=True)
    if problem:
        problems.append(Problem(number, "author_name", *problem))
    problems += length_problems(number, values, SIZES)
    submitted_at = None
    if values["submitted_at"]:
        submitted_at = parse_moment(values["submitted_at"])
        if submitted_at is None:
            problems.append(Problem(number, "submitted_at", "تاریخ خوانا نیست (مثلاً 2026-11-20 یا ۱۴۰۵/۰۸/۲۹).",
                                    "unreadable date"))
    ratings = {}
    for slug in criteria:
        raw = latin_digits(values.get(slug, ""))
        if not raw:
            continue
        # ASCII digits only: "²" and "①" count as digits to str.isdigit() but not to int().
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 3 or not 1 <= int(raw) <= 5:
            problems.append(Problem(number, slug, "امتیاز باید عددی از ۱ تا ۵ باشد.", "rating must be 1 to 5"))
        else:
            ratings[slug] = int(raw)
    if problems:
        return problems, None
    extra = {k: v for k, v in values.items() if k not in COLUMNS and k not in criteria}
    return [], CommentRow(number, email, values["author_name"] or email, affiliation, code, stance, body,
                          amendment, submitted_at, ratings, extra)


def _check_existing(consultation, rows):
    keyed = [r for r in rows if r.item_code]
    if not keyed:
        return []
    existing = set(db.session.execute(
        sa.select(User.email, PlanItem.code)
        .join(Comment, Comment.author_id == User.id).join(PlanItem, Comment.item_id == PlanItem.id)
        .where(Comment.consultation_id == consultation.id)
    ).all())
    return [
        Problem(r.row, "plan_item_code", "این نویسنده پیش‌تر برای همین بند نظر داده است.",
                f"{r.email} already has a comment on {r.item_code}")
        for r in keyed if (r.email, r.item_code) in existing
    ]


def import_comments(consultation: Consultation, rows: list[CommentRow]) -> list[Comment]:
    """Store validated rows; authors become experts without a password and participants."""
    items = {i.code: i for i in db.session.scalars(sa.select(PlanItem).filter_by(plan_id=consultation.plan_id))}
    criteria = {c.slug: c for c in consultation.criteria}
    users = {u.email: u for u in db.session.scalars(sa.select(User).where(User.email.in_({r.email for r in rows})))}
    for row in rows:
        if row.email not in users:
            users[row.email] = User(email=row.email, display_name=row.name, role=Role.EXPERT,
                                    affiliation=row.affiliation)
            db.session.add(users[row.email])
    db.session.flush()
    taking_part = set(db.session.scalars(sa.select(Participant.user_id).filter_by(consultation_id=consultation.id)))
    comments = []
    for row in rows:
        user = users[row.email]
        if user.id not in taking_part:
            db.session.add(Participant(consultation=consultation, user=user, role=ParticipantRole.EXPERT))
            taking_part.add(user.id)
        comment = Comment(
            consultation=consultation, author=user, item=items.get(row.item_code), stance=row.stance,
            body=row.body, amendment=row.amendment, diagnosis=row.extra.get("diagnosis", ""), source="import",
        )
        if row.submitted_at:
            comment.created_at = comment.updated_at = row.submitted_at
        comment.ratings = [Rating(criterion=criteria[slug], score=score) for slug, score in row.ratings.items()]
        refresh_text(comment)
        db.session.add(comment)
        comments.append(comment)
    db.session.flush()
    log.info("imported %d comments into %s", len(comments), consultation.slug)
    return comments
