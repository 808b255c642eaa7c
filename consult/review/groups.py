"""Working groups as planners and admins set them up: names, the plan items they own, their secretaries."""
import logging

import sqlalchemy as sa

from consult.auth.models import Role, User
from consult.consultations.models import ParticipantRole
from consult.consultations.services import add_participant
from consult.core.audit import record
from consult.core.errors import ConsultError, ValidationFailed
from consult.extensions import db
from consult.plan.models import PlanItem, WorkingGroup, working_group_item

log = logging.getLogger(__name__)


class NameTaken(ValidationFailed):
    def __init__(self):
        super().__init__("کارگروهی با این نام در این برنامه هست.")


def _check_name(plan_id: int, name: str, group_id: int | None = None) -> str:
    name = " ".join(name.split())
    taken = db.session.scalar(sa.select(WorkingGroup.id).where(
        WorkingGroup.plan_id == plan_id, WorkingGroup.name == name, WorkingGroup.id != (group_id or 0)))
    if taken:
        raise NameTaken()
    return name


def create_group(plan, actor, name: str) -> WorkingGroup:
    """A new working group of the plan, owning nothing yet."""
    group = WorkingGroup(plan=plan, name=_check_name(plan.id, name))
    db.session.add(group)
    db.session.flush()
    record(actor, "working_group.create", group, name=group.name)
    log.info("working group %s created by %s", group.id, actor.id)
    return group


def rename_group(group: WorkingGroup, actor, name: str) -> None:
    """A new name; the scope key (by id) stays, so runs and topics keep their scope."""
    old, group.name = group.name, _check_name(group.plan_id, name, group.id)
    record(actor, "working_group.rename", group, old=old, new=group.name)
    db.session.flush()


def holder_of(item: PlanItem) -> WorkingGroup | None:
    """The group an item is assigned to directly, if any."""
    return db.session.scalar(
        sa.select(WorkingGroup).join(working_group_item, working_group_item.c.working_group_id == WorkingGroup.id)
        .where(working_group_item.c.plan_item_id == item.id).order_by(WorkingGroup.id).limit(1))


def assign_item(group: WorkingGroup, actor, item: PlanItem) -> None:
    """The group owns the item's subtree, except parts assigned deeper to another group."""
    if item.plan_id != group.plan_id:
        raise ConsultError("این بند از برنامهٔ این کارگروه نیست.")
    holder = holder_of(item)
    if holder is not None:
        raise ConsultError(f"بند {item.code} پیش‌تر به کارگروه «{holder.name}» سپرده شده است؛ "
                           "نخست آن را از آن کارگروه بردارید.")
    group.items.append(item)
    record(actor, "working_group.assign_item", group, item=item.code)
    db.session.flush()


def unassign_item(group: WorkingGroup, actor, item: PlanItem) -> None:
    """The item (and what it held) goes to the nearest assigned ancestor's group, or to general."""
    if item in group.items:
        group.items.remove(item)
        record(actor, "working_group.unassign_item", group, item=item.code)
        db.session.flush()


def secretary_choices(group: WorkingGroup) -> list[User]:
    """Active users with the secretary role who are not in the group yet."""
    members = {user.id for user in group.members}
    secretaries = db.session.scalars(
        sa.select(User).where(User.role == Role.SECRETARY, User.active.is_(True)).order_by(User.display_name)).all()
    return [user for user in secretaries if user.id not in members]


def add_secretary(group: WorkingGroup, actor, user: User, consultation) -> None:
    """Make a secretary a member of the group and a participant of the round they will review."""
    if user.role != Role.SECRETARY or not user.active:
        raise ConsultError("فقط کاربران فعال با نقش دبیر کارگروه را می‌توان افزود.")
    if user not in group.members:
        group.members.append(user)
        record(actor, "working_group.add_secretary", group, user_id=user.id)
    add_participant(consultation, user, ParticipantRole.SECRETARY)
    db.session.flush()


def remove_secretary(group: WorkingGroup, actor, user: User) -> None:
    """The secretary leaves the group (and its scope); they stay a participant of the round."""
    if user in group.members:
        group.members.remove(user)
        record(actor, "working_group.remove_secretary", group, user_id=user.id)
        db.session.flush()
