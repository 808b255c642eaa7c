"""Which comments a scope holds. Scope keys: "group-<id>" for a working group, "general" for the rest."""
import sqlalchemy as sa
from sqlalchemy.sql import Select

from consult.feedback.models import Comment


def comments_in_scope(consultation, scope_key: str, include_withdrawn: bool = False) -> Select:
    """The consultation's comments in the scope (for now every comment: groups do not split them yet)."""
    query = sa.select(Comment).where(Comment.consultation_id == consultation.id)
    if not include_withdrawn:
        query = query.where(Comment.is_deleted.is_(False))
    return query.order_by(Comment.id)
