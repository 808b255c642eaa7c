"""On PostgreSQL an over-long value fails the INSERT (DataError): imports check lengths first."""
import pytest
import sqlalchemy as sa

from consult.extensions import db
from consult.feedback.models import Comment
from consult.plan.models import PlanItem
from tests.conftest import skip_or_fail
from tests.db.test_comment_import import GOOD as COMMENTS
from tests.db.test_plan_import import GOOD as PLAN

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres(app):
    if db.engine.dialect.name != "postgresql":
        skip_or_fail("TEST_DATABASE_URL is not a PostgreSQL database")


def test_plan_code_longer_than_its_column(runner, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(PLAN.replace("1.1.1.1,1.1.1,", "1" * 51 + ",1.1.1,"), encoding="utf-8")
    result = runner.invoke(args=["plan", "import", str(path)])
    assert result.exit_code == 2, result.output
    assert "row 5, column code" in result.output and "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PlanItem)) == 0


def test_author_name_longer_than_its_column(runner, tmp_path, factory):
    factory.make_consultation(slug="round")
    path = tmp_path / "comments.csv"
    path.write_text(COMMENTS.replace("a.karimi@example.ir,علی کریمی,", "a.karimi@example.ir," + "ع" * 201 + ","),
                    encoding="utf-8")
    result = runner.invoke(args=["feedback", "import", str(path), "--consultation", "round"])
    assert result.exit_code == 2, result.output
    assert "row 2, column author_name" in result.output and "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0
