"""Consultation rounds, their rating criteria, participants and questionnaires."""
import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.db_types import enum_type
from consult.core.time import utcnow
from consult.extensions import db


class ConsultationState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]


STATE_LABELS = {
    ConsultationState.DRAFT: "پیش‌نویس",
    ConsultationState.OPEN: "باز",
    ConsultationState.CLOSED: "بسته",
    ConsultationState.ARCHIVED: "بایگانی‌شده",
}


class ParticipantRole(enum.StrEnum):
    EXPERT = "expert"
    SECRETARY = "secretary"
    PLANNER = "planner"


class QuestionKind(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    LIKERT = "likert"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"


DEFAULT_CRITERIA = (("importance", "اهمیت"), ("feasibility", "تحقق‌پذیری"))


class Consultation(db.Model):
    """One round of consultation on one plan."""

    __table_args__ = (sa.CheckConstraint("closes_at > opens_at", name="closes_after_opens"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    state: Mapped[ConsultationState] = mapped_column(
        enum_type(ConsultationState, "consultation_state"), default=ConsultationState.DRAFT
    )
    # Whether secretaries and planners see authors' names, on screens and in exports (affiliation always shows).
    show_author_names: Mapped[bool] = mapped_column(default=False)
    # Whether secretaries act in the "general" scope (general comments, items no working group owns).
    secretaries_act_in_general: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped["Plan"] = relationship()  # noqa: F821
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan", order_by="Criterion.position"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan"
    )
    questionnaires: Mapped[list["Questionnaire"]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan"
    )

    def accepts_input(self, now: datetime | None = None) -> bool:
        """Open state and inside the dates."""
        now = now or utcnow()
        return self.state == ConsultationState.OPEN and self.opens_at <= now < self.closes_at

    def __repr__(self) -> str:
        return f"<Consultation {self.slug} {self.state}>"


class Criterion(db.Model):
    """A rating criterion of a consultation, e.g. importance or feasibility."""

    __table_args__ = (sa.UniqueConstraint("consultation_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(sa.String(50))
    label: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)

    consultation: Mapped[Consultation] = relationship(back_populates="criteria")


class Participant(db.Model):
    """A user taking part in a consultation; experts see only their own consultations."""

    __table_args__ = (sa.UniqueConstraint("consultation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[ParticipantRole] = mapped_column(
        enum_type(ParticipantRole, "participant_role"), default=ParticipantRole.EXPERT
    )
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="participants")
    user: Mapped["User"] = relationship(back_populates="participations")  # noqa: F821


class Questionnaire(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    consultation: Mapped[Consultation] = relationship(back_populates="questionnaires")
    questions: Mapped[list["Question"]] = relationship(
        back_populates="questionnaire", cascade="all, delete-orphan", order_by="Question.position"
    )


class Question(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    questionnaire_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questionnaire.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind, "question_kind"))
    text: Mapped[str] = mapped_column(sa.Text)
    help_text: Mapped[str] = mapped_column(sa.Text, default="")
    # Choices for single/multiple questions, one string each.
    choices: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    questionnaire: Mapped[Questionnaire] = relationship(back_populates="questions")
