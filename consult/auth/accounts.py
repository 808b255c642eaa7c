"""Managing accounts: activate, change role, list and search users."""
import logging

import sqlalchemy as sa

from consult.auth.models import Role, User
from consult.core.audit import AuditEvent, record
from consult.core.errors import ConsultError
from consult.core.pages import MAX_QUERY, Page, paginate
from consult.extensions import db
from consult.nlp import search_key

log = logging.getLogger(__name__)


def set_user_active(user: User, active: bool, actor: User) -> None:
    """Allow or stop a user's sign-in; an admin cannot lock themselves out."""
    if user.id == actor.id and not active:
        raise ConsultError("نمی‌توانید حساب خودتان را غیرفعال کنید.")
    user.active = active
    if not active:
        user.end_sessions()  # reactivation must not bring back the sessions it had
    record(actor, "user.activate" if active else "user.deactivate", user)
    log.info("user %s active=%s by %s", user.id, active, actor.id)


def matching(users: list[User], query: str) -> list[User]:
    """Users whose name, email or organisation holds every word of the query, spelled any way."""
    words = [key for key in (search_key(word) for word in query[:MAX_QUERY].split()) if key]
    if not words:
        return users
    keys = {user.id: search_key(f"{user.display_name} {user.email} {user.organisation}") for user in users}
    return [user for user in users if all(word in keys[user.id] for word in words)]


def users_page(query: str = "", number: int = 1) -> Page:
    """Accounts matching the query (Persian spelling ignored), by role and name, one page of them."""
    users = db.session.scalars(sa.select(User).order_by(User.role, User.display_name, User.id)).all()
    return paginate(matching(list(users), query), number)


def set_user_role(user: User, role: Role, actor: User) -> None:
    """Change an account's role; an admin cannot change their own."""
    if user.id == actor.id:
        raise ConsultError("نقش حساب خودتان را نمی‌توانید تغییر دهید.")
    if user.role == role:
        return
    old, user.role = user.role, role
    record(actor, "user.role", user, old=old.value, new=role.value)
    log.info("user %s role %s -> %s by %s", user.id, old.value, role.value, actor.id)


def reset_requests(user_ids: list[int]) -> dict[int, object]:
    """When each user last asked for a reset link, for the admin to follow up."""
    rows = db.session.execute(
        sa.select(AuditEvent.object_id, sa.func.max(AuditEvent.created_at))
        .where(AuditEvent.action == "password.reset_requested", AuditEvent.object_id.in_(user_ids))
        .group_by(AuditEvent.object_id)
    )
    return dict(rows.all())
