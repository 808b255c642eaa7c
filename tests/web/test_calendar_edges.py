"""Rounds behave the same on the calendar's awkward days: Nowruz, 30 Esfand of a leap year, the last minute
of a month in Tehran, and a year far ahead."""
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.consultations.models import Consultation
from consult.core.time import format_jalali, local_date, utcnow
from consult.extensions import db

EDGES = {
    "nowruz 1404": datetime(2025, 3, 20, 20, 31),        # 1404/01/01 00:01 Tehran
    "esfand 30 of 1403": datetime(2025, 3, 19, 12, 0),   # 1403 is a leap year
    "last minute of aban": datetime(2026, 11, 21, 20, 29),  # 1405/08/30 23:59 Tehran
    "year 1410": datetime(2031, 7, 1, 6, 0),
}


@pytest.mark.parametrize("moment", EDGES.values(), ids=EDGES.keys())
def test_a_round_opened_and_closed_today_takes_input_all_day(client, factory, login, clock, moment):
    clock.move_to(moment.replace(tzinfo=UTC))
    login(factory.make_user(role=Role.ADMIN))
    today = local_date(utcnow())
    typed = {"title": "دور لبه", "description": "", "state": "open", "plan_id": str(factory.make_plan().id),
             "opens_on": format_jalali(today), "closes_on": format_jalali(today)}
    assert client.post("/admin/consultations", data={**typed, "slug": "edge"}).status_code == 302
    round_ = db.session.scalar(sa.select(Consultation).filter_by(slug="edge"))
    assert round_.accepts_input(utcnow())
    assert not round_.accepts_input(utcnow() + timedelta(days=1))
    page = client.get("/admin/c/edge").get_data(as_text=True)
    assert f'value="{format_jalali(today)}"' in page
