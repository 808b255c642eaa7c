"""Who may change a comment."""
from consult.auth.permissions import rule
from consult.consultations.permissions import contribute


@rule("edit_comment")
def _edit_comment(user, comment) -> bool:
    # Only the author edits or withdraws a comment, and only where they may still contribute.
    return comment.author_id == user.id and contribute(user, comment.consultation)
