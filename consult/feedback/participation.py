"""A round's participants with what each has given: comment count and last activity."""
from dataclasses import dataclass

import sqlalchemy as sa

from consult.auth.accounts import matching
from consult.auth.models import User
from consult.consultations.models import Consultation, Participant
from consult.core.pages import Page, paginate
from consult.extensions import db
from consult.feedback.tallies import activity_of


@dataclass
class ParticipantRow:
    user: User
    participant: Participant
    comments: int
    last_activity: object  # datetime or None


def participants_page(consultation: Consultation, query: str = "", number: int = 1) -> Page:
    """The round's participants matching the query, with comment count and last activity, one page."""
    rows = db.session.execute(
        sa.select(User, Participant).join(Participant, Participant.user_id == User.id)
        .where(Participant.consultation_id == consultation.id)
        .order_by(User.display_name, User.id)).all()
    joined = {user.id: participant for user, participant in rows}
    page = paginate(matching([user for user, _ in rows], query), number)
    activity = activity_of(consultation, [user.id for user in page.rows])
    page.rows = [
        ParticipantRow(user, joined[user.id], activity[user.id].comments if user.id in activity else 0,
                       activity[user.id].last if user.id in activity else None)
        for user in page.rows
    ]
    return page
