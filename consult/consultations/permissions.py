"""Who may see a round, contribute to it, review it and export it."""
from consult.auth.models import Role
from consult.auth.permissions import can, has_role, rule
from consult.consultations.models import ConsultationState


def is_participant(user, consultation) -> bool:
    """Whether the user was invited to (takes part in) the consultation."""
    return any(p.consultation_id == consultation.id for p in user.participations)


@rule("view_consultation")
def view_consultation(user, consultation) -> bool:
    if has_role(user, Role.ADMIN, Role.PLANNER):
        return True
    if consultation.state == ConsultationState.DRAFT:
        return False
    return is_participant(user, consultation)


@rule("contribute")
def contribute(user, consultation) -> bool:
    # Secretaries may also comment as experts where they take part.
    return has_role(user, Role.EXPERT, Role.SECRETARY) and view_consultation(user, consultation)


@rule("review")
def review(user, consultation) -> bool:
    if has_role(user, Role.ADMIN, Role.PLANNER):
        return True
    return has_role(user, Role.SECRETARY) and (consultation is None or is_participant(user, consultation))


@rule("export")
def export(user, consultation) -> bool:
    # The same people as review: a secretary only for the rounds they take part in.
    return review(user, consultation)


def listed(user, consultation) -> bool:
    """Whether the home page lists the round: for whoever may view it, and for visitors while it is open
    (its items lead to the sign-in page)."""
    if getattr(user, "is_authenticated", False):
        return can(user, "view_consultation", consultation)
    return consultation.state == ConsultationState.OPEN
