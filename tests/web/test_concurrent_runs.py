"""Two start requests for one scope at the same moment, against the app served on a port: one run."""
from collections import Counter

import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.extensions import db
from consult.review import runs
from consult.review.models import ClusterRun
from tests import factories
from tests.web.test_concurrent_submissions import (  # noqa: F401  fixtures of the served app
    database,
    database_url,
    post_together,
    served,
    signed_in_cookie,
)


@pytest.fixture
def not_dispatched(monkeypatch):
    """The run is not computed: only the start is under test."""
    monkeypatch.setattr(runs, "_dispatch", lambda run, requested_by=None: None)


def test_two_simultaneous_starts_give_one_run(served, not_dispatched):  # noqa: F811  the imported fixture
    _app, port = served
    with database(served):
        planner, admin = factories.make_user(Role.PLANNER), factories.make_user(Role.ADMIN)
        expert = factories.make_user()
        consultation = factories.make_consultation(participants=[expert])
        factories.make_comment(consultation, expert, None, body="نظری کلی دربارهٔ کل برنامهٔ سوم شهر قم.")
        factories.make_comment(consultation, expert, factories.item(consultation.plan, "1.1.1.1"),
                               body="زائرسرای پردیسان باید زودتر ساخته شود.")
        slug, consultation_id, emails = consultation.slug, consultation.id, [planner.email, admin.email]
    path = f"/review/c/{slug}/scopes/general/runs"
    cookies = [signed_in_cookie(port, email) for email in emails]
    results = post_together(port, [(path, {}, cookie) for cookie in cookies * 2])
    assert Counter(result[0] for result in results) == Counter({302: 1, 409: 3}), results
    with database(served):
        count = db.session.scalar(sa.select(sa.func.count()).select_from(ClusterRun)
                                  .filter_by(consultation_id=consultation_id))
    assert count == 1
