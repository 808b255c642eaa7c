"""A secretary's verdict on where a comment belongs: confirming its link to a plan item."""
import logging

import sqlalchemy as sa

from consult.auth.permissions import can
from consult.core.audit import record
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.review.models import CommentLink, LinkSource
from consult.review.scopes import scope_of

log = logging.getLogger(__name__)


class NotInYourScope(ConsultError):
    message = "این نظر در دامنه‌ای نیست که شما در آن کار می‌کنید."


def confirm_link(comment, item, actor) -> CommentLink:
    """Make `item` the comment's effective item. The actor must act in the comment's scope, not the item's: a
    link to an item of another scope hands the comment over to that scope, and the audit records the handover.
    An earlier confirmed link of the comment becomes rejected, so each comment has one confirmed link."""
    consultation = comment.consultation
    before = scope_of(comment)
    if not can(actor, "act_in_scope", (consultation, before)):
        raise NotInYourScope()
    if item.plan_id != consultation.plan_id:
        raise ConsultError("این بند از برنامهٔ این دور نیست.")
    links = db.session.scalars(sa.select(CommentLink).where(CommentLink.comment_id == comment.id)).all()
    link = next((each for each in links if each.item_id == item.id), None)
    for other in links:
        if other is not link and other.source == LinkSource.CONFIRMED:
            other.source, other.decided_by_id = LinkSource.REJECTED, actor.id
    if link is None:
        link = CommentLink(comment=comment, item=item, source=LinkSource.CONFIRMED)
        db.session.add(link)
    link.source, link.decided_by_id = LinkSource.CONFIRMED, actor.id
    db.session.flush()
    after = scope_of(comment)
    record(actor, "comment_link.confirm", comment, item=item.code, scope_before=before, scope_after=after,
           handed_over=before != after)
    log.info("comment %s linked to item %s by %s (scope %s -> %s)", comment.id, item.code, actor.id, before, after)
    return link
