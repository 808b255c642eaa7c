"""`flask nlp renormalize` recomputes machine copies; the text as written never changes."""
import sqlalchemy as sa

from consult.extensions import db
from consult.feedback.models import Comment
from consult.nlp import NORMALIZER_VERSION
from consult.plan.models import PlanItem


def test_renormalize_updates_stale_rows_only(runner, factory):
    consultation = factory.make_consultation()
    comment = factory.make_comment(consultation, factory.make_user(), body="نظر  من دربارهٔ طرح علي")
    comment.body_normalized, comment.normalizer_version = "stale", 0
    db.session.flush()
    result = runner.invoke(args=["nlp", "renormalize"])
    assert result.exit_code == 0, result.output
    assert "1 comment" in result.output and "0 plan_item" in result.output
    comment = db.session.get(Comment, comment.id)
    assert comment.body == "نظر  من دربارهٔ طرح علي"
    assert comment.normalizer_version == NORMALIZER_VERSION
    assert "علی" in comment.body_normalized
    result = runner.invoke(args=["nlp", "renormalize", "--all"])
    count = db.session.scalar(sa.select(sa.func.count()).select_from(PlanItem))
    assert f"{count} plan_item" in result.output
