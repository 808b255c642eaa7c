"""Load the demo consultation from the data files beside this module."""
import csv
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

from consult.auth.models import Affiliation, Role, User
from consult.consultations.models import (
    Consultation,
    ConsultationState,
    ParticipantRole,
    Question,
    QuestionKind,
    Questionnaire,
)
from consult.consultations.services import add_participant, create_consultation
from consult.core.time import utcnow
from consult.extensions import db
from consult.feedback import importer as feedback_importer
from consult.plan import importer as plan_importer
from consult.plan.models import ItemKind, PlanItem, WorkingGroup

log = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
PLAN_SLUG = "qom-third-plan"
CONSULTATION_SLUG = "third-plan"
# Demo-only credentials, documented in README.md.
DEMO_PASSWORD = "Qom-1414-demo"
DEMO_ACCOUNTS = (
    ("admin@example.ir", "مدیر سامانه", Role.ADMIN, Affiliation.SECRETARIAT, "دبیرخانه برنامه‌ریزی شهرداری قم"),
    ("planner@example.ir", "کارشناس برنامه‌ریزی", Role.PLANNER, Affiliation.SECRETARIAT,
     "معاونت برنامه‌ریزی و توسعه شهرداری قم"),
    ("secretary@example.ir", "دبیر کارگروه نمونه", Role.SECRETARY, Affiliation.SECRETARIAT,
     "دبیرخانه شورای راهبری برنامه"),
    ("secretary2@example.ir", "دبیر کارگروه دوم", Role.SECRETARY, Affiliation.SECRETARIAT,
     "دبیرخانه شورای راهبری برنامه"),
    ("expert@example.ir", "خبره نمونه", Role.EXPERT, Affiliation.ACADEMIC, "دانشگاه قم"),
)


@dataclass
class DemoSummary:
    items: dict[str, int]
    users: int
    comments: int


def is_loaded() -> bool:
    return db.session.scalar(sa.select(Consultation.id).filter_by(slug=CONSULTATION_SLUG)) is not None


def load_demo(data_dir: Path = DATA) -> DemoSummary:
    """Create the plan, people, open consultation, comments and questionnaire; the caller commits."""
    rows = plan_importer.parse_plan_file(data_dir / "plan.csv")
    plan = plan_importer.get_or_create_plan(PLAN_SLUG, "پیش‌نویس برنامه عملیاتی سوم شهرداری قم (۱۴۰۵–۱۴۰۹)")
    plan.description = "برنامه عملیاتی سوم در افق چشم‌انداز ۱۴۱۴: ۸ هدف، ۲۹ راهبرد، ۸۱ سیاست و ۲۷۰ طرح."
    plan_importer.import_plan(plan, rows)

    now = utcnow()
    consultation = create_consultation(
        plan,
        title="نظرخواهی از خبرگان دربارهٔ پیش‌نویس برنامه عملیاتی سوم",
        slug=CONSULTATION_SLUG,
        opens_at=now - timedelta(days=40),
        closes_at=now + timedelta(days=60),
        state=ConsultationState.OPEN,
        description=(
            "برنامه عملیاتی اول (۱۳۹۵–۱۳۹۹) به ۶۵ درصد پیشرفت رسید و برنامه دوم (۱۴۰۰–۱۴۰۴) در حال اجراست. "
            "دیدگاه خبرگان حوزوی و دانشگاهی، مدیران دستگاه‌های اجرایی و دبیران کارگروه‌ها "
            "پیش‌نویس برنامه سوم را کامل می‌کند."
        ),
    )
    users = _load_people(consultation, data_dir / "experts.csv")
    _load_working_groups(plan, users)
    rows = feedback_importer.parse_comment_file(consultation, data_dir / "comments.csv")
    comments = feedback_importer.import_comments(consultation, rows)
    _load_questionnaire(consultation)
    db.session.flush()
    counts = dict(db.session.execute(
        sa.select(PlanItem.kind, sa.func.count()).filter_by(plan_id=plan.id).group_by(PlanItem.kind)
    ).all())
    return DemoSummary({k.value: counts.get(k, 0) for k in ItemKind}, len(users), len(comments))


def _load_people(consultation: Consultation, path: Path) -> list[User]:
    people = []
    for email, name, role, affiliation, organisation in DEMO_ACCOUNTS:
        user = User(email=email, display_name=name, role=role, affiliation=affiliation, organisation=organisation)
        user.set_password(DEMO_PASSWORD)
        db.session.add(user)
        people.append(user)
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            people.append(User(
                email=row["email"].lower(), display_name=row["name"], role=Role(row["role"]),
                affiliation=Affiliation(row["affiliation"]), organisation=row["organisation"],
            ))
            db.session.add(people[-1])
    db.session.flush()
    for user in people:
        if user.role != Role.ADMIN:
            role = {Role.PLANNER: ParticipantRole.PLANNER, Role.SECRETARY: ParticipantRole.SECRETARY}.get(
                user.role, ParticipantRole.EXPERT)
            add_participant(consultation, user, role)
    return people


def _load_working_groups(plan, users: list[User]) -> None:
    # One group per goal; the demo secretaries come first, so secretary@ owns goal 1 and secretary2@ goal 2.
    secretaries = [u for u in users if u.role == Role.SECRETARY]
    goals = db.session.scalars(
        sa.select(PlanItem).filter_by(plan_id=plan.id, kind=ItemKind.GOAL).order_by(PlanItem.position)
    ).all()
    for index, goal in enumerate(goals):
        group = WorkingGroup(plan=plan, name=f"کارگروه {goal.title}", items=[goal])
        if secretaries:
            group.members = [secretaries[index % len(secretaries)]]
        db.session.add(group)


def _load_questionnaire(consultation: Consultation) -> None:
    questionnaire = Questionnaire(
        consultation=consultation,
        title="پرسش‌نامه اولویت‌های برنامه سوم",
        description="پاسخ به این پرسش‌ها حدود پنج دقیقه زمان می‌برد.",
    )
    questionnaire.questions = [
        Question(kind=QuestionKind.SINGLE, position=0, required=True,
                 text="مهم‌ترین چالش شهر قم در پنج سال آینده کدام است؟",
                 choices=["کم‌آبی و محیط زیست", "ترافیک و حمل‌ونقل", "خدمات زائران", "درآمد پایدار شهرداری",
                          "بافت فرسوده و حاشیه‌نشینی"]),
        Question(kind=QuestionKind.LIKERT, position=1, required=True,
                 text="برنامه عملیاتی دوم تا چه اندازه با چشم‌انداز ۱۴۱۴ هم‌راستا بوده است؟",
                 help_text="۱ یعنی بسیار کم و ۵ یعنی بسیار زیاد."),
        Question(kind=QuestionKind.MULTIPLE, position=2,
                 text="کدام سازوکارها مشارکت مردم را در اجرای برنامه بیشتر می‌کند؟",
                 choices=["شورایاری‌ها", "سامانه‌های برخط", "مساجد و هیئت‌ها", "رسانه‌های محلی", "دانشگاه‌ها و حوزه"]),
        Question(kind=QuestionKind.SHORT_TEXT, position=3, text="یک شاخص کلیدی برای سنجش پیشرفت برنامه پیشنهاد کنید."),
        Question(kind=QuestionKind.LONG_TEXT, position=4, text="اگر نکته‌ای دربارهٔ کل برنامه دارید، بنویسید."),
    ]
    db.session.add(questionnaire)
