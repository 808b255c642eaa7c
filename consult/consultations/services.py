"""Rules about consultation rounds."""
from datetime import datetime

import sqlalchemy as sa

from consult.auth.models import Role
from consult.consultations.models import (
    DEFAULT_CRITERIA,
    Consultation,
    ConsultationState,
    Criterion,
    Participant,
    ParticipantRole,
)
from consult.consultations.permissions import listed
from consult.extensions import db


def visible_consultations(user) -> list[Consultation]:
    """The rounds the home page lists for this user, newest first (one rule: permissions.listed)."""
    rounds = db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc()))
    return [consultation for consultation in rounds if listed(user, consultation)]


def create_consultation(plan, *, title: str, slug: str, opens_at: datetime, closes_at: datetime,
                        state: ConsultationState = ConsultationState.DRAFT, description: str = "",
                        show_author_names: bool = False) -> Consultation:
    """A new round on a plan with the default rating criteria."""
    consultation = Consultation(
        plan=plan, title=title, slug=slug, opens_at=opens_at, closes_at=closes_at, state=state,
        description=description, show_author_names=show_author_names,
    )
    consultation.criteria = [
        Criterion(slug=slug_, label=label, position=i) for i, (slug_, label) in enumerate(DEFAULT_CRITERIA)
    ]
    db.session.add(consultation)
    db.session.flush()
    return consultation


def add_participant(consultation: Consultation, user, role=None) -> Participant:
    """Make user a participant unless they already are."""
    existing = db.session.scalar(
        sa.select(Participant).filter_by(consultation_id=consultation.id, user_id=user.id)
    )
    if existing:
        return existing
    if role is None:
        role = ParticipantRole.SECRETARY if user.role == Role.SECRETARY else ParticipantRole.EXPERT
    participant = Participant(consultation=consultation, user=user, role=role)
    db.session.add(participant)
    db.session.flush()
    return participant
