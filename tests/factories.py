"""Small builders for test data; each flushes so ids exist, none commits."""
import itertools
from datetime import timedelta

from consult.auth.models import Affiliation, Role, User
from consult.consultations.invitations import create_invitation
from consult.consultations.models import ConsultationState
from consult.consultations.services import add_participant, create_consultation
from consult.extensions import db
from consult.feedback.models import Comment, Stance
from consult.feedback.text import refresh_text as refresh_comment
from consult.plan.models import ItemKind, Plan, PlanItem
from consult.plan.text import refresh_text as refresh_item
from tests.clock import NOW

PASSWORD = "a-long-test-passphrase"
_seq = itertools.count(1)

PLAN_ROWS = [
    ("1", None, ItemKind.GOAL, "قم، شهر زیارت و گردشگری مذهبی"),
    ("1.1", "1", ItemKind.STRATEGY, "ارتقای کیفیت خدمات به زائران"),
    ("1.1.1", "1.1", ItemKind.POLICY, "توسعه زیرساخت‌های اقامتی ارزان‌قیمت"),
    ("1.1.1.1", "1.1.1", ItemKind.PROJECT, "ساخت زائرسرای شهری در پردیسان"),
    ("1.1.1.2", "1.1.1", ItemKind.PROJECT, "ساماندهی پارکینگ‌های پیرامون حرم"),
    ("2", None, ItemKind.GOAL, "شهر سبز و کم‌آب‌بر"),
    ("2.1", "2", ItemKind.STRATEGY, "مدیریت یکپارچه منابع آب"),
    ("2.1.1", "2.1", ItemKind.POLICY, "بازچرخانی پساب برای فضای سبز"),
    ("2.1.1.1", "2.1.1", ItemKind.PROJECT, "آبیاری هوشمند بوستان‌های شهری"),
]


def make_user(role: Role = Role.EXPERT, *, email: str | None = None, password: str | None = PASSWORD,
              affiliation: Affiliation = Affiliation.ACADEMIC, active: bool = True, name: str | None = None) -> User:
    n = next(_seq)
    user = User(email=email or f"user{n}@example.ir", display_name=name or f"کاربر {n}", role=role,
                affiliation=affiliation, active=active)
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def make_plan(slug: str | None = None) -> Plan:
    plan = Plan(slug=slug or f"plan-{next(_seq)}", title="برنامه آزمایشی")
    db.session.add(plan)
    by_code = {}
    for position, (code, parent, kind, title) in enumerate(PLAN_ROWS):
        item = PlanItem(plan=plan, code=code, kind=kind, title=title, description=f"شرح {title}",
                        position=position, parent=by_code.get(parent))
        refresh_item(item)
        by_code[code] = item
        db.session.add(item)
    db.session.flush()
    return plan


def make_consultation(plan: Plan | None = None, *, state=ConsultationState.OPEN, slug: str | None = None,
                      participants=()):
    consultation = create_consultation(
        plan or make_plan(), title="دور آزمایشی مشورت", slug=slug or f"round-{next(_seq)}",
        opens_at=NOW - timedelta(days=1), closes_at=NOW + timedelta(days=30), state=state,
    )
    for user in participants:
        add_participant(consultation, user)
    return consultation


def item(plan: Plan, code: str) -> PlanItem:
    return next(i for i in plan.items if i.code == code)


def make_comment(consultation, author, item=None, *, stance=Stance.AGREE, body="این طرح برای شهر قم ضروری است.",
                 amendment="") -> Comment:
    comment = Comment(consultation=consultation, author=author, item=item, stance=stance, body=body,
                      amendment=amendment)
    refresh_comment(comment)
    db.session.add(comment)
    db.session.flush()
    return comment


def make_invitation(consultation, email: str | None = None, **fields):
    """An invitation to the consultation; returns IssuedToken (row and the secret token for the link)."""
    return create_invitation(consultation, email=email or f"invitee{next(_seq)}@example.ir", **fields)


def make_questionnaire(consultation, questions=None, *, title: str = "پرسش‌نامهٔ آزمایشی"):
    """A questionnaire; `questions` is a list of (kind, text, choices, required)."""
    from consult.consultations.models import Question, QuestionKind, Questionnaire

    if questions is None:
        questions = [
            (QuestionKind.SINGLE, "مهم‌ترین مسئلهٔ شهر کدام است؟", ["آب", "ترافیک", "زیارت"], True),
            (QuestionKind.MULTIPLE, "کدام حوزه‌ها را می‌شناسید؟", ["گردشگری", "محیط زیست", "حمل‌ونقل"], False),
            (QuestionKind.LIKERT, "برنامه تا چه اندازه واقع‌بینانه است؟", [], True),
            (QuestionKind.SHORT_TEXT, "سمت شما چیست؟", [], False),
            (QuestionKind.LONG_TEXT, "پیشنهاد کلی شما چیست؟", [], False),
        ]
    questionnaire = Questionnaire(consultation=consultation, title=title)
    for position, (kind, text, choices, required) in enumerate(questions):
        questionnaire.questions.append(
            Question(kind=kind, text=text, choices=list(choices), required=required, position=position)
        )
    db.session.add(questionnaire)
    db.session.flush()
    return questionnaire
