"""Working-group management by planners and admins: groups, their plan items and secretaries, with scope counts."""
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from consult.auth.models import Role
from consult.consultations.models import Participant
from consult.core.audit import AuditEvent
from consult.extensions import db
from consult.plan.models import WorkingGroup


@pytest.fixture
def world(factory, login_as):
    consultation = factory.make_consultation()
    plan = consultation.plan
    item = {i.code: i for i in plan.items}
    group = WorkingGroup(plan=plan, name="کارگروه زیارت", items=[item["1"]])
    db.session.add(group)
    expert = factory.make_user(password=None)
    factory.make_comment(consultation, expert, item["1.1"], body="نظری در دامنهٔ کارگروه زیارت.")
    factory.make_comment(consultation, expert, None, body="نظری کلی.")
    db.session.flush()
    planner = login_as(factory.make_user(Role.PLANNER, password=None))
    return SimpleNamespace(consultation=consultation, plan=plan, item=item, group=group, planner=planner,
                           base=f"/admin/c/{consultation.slug}/groups")


def test_groups_page_lists_groups_with_items_and_scope_counts(client, world):
    page = client.get(world.base).get_data(as_text=True)
    assert "کارگروه زیارت" in page and "دامنهٔ عمومی" in page
    assert page.count("<td>۱</td>") == 2  # one comment in the group's scope, one in general


def test_create_group_and_refuse_a_taken_name_keeping_what_was_typed(client, world):
    response = client.post(world.base, data={"name": "  کارگروه   آب  "})
    group = db.session.scalar(sa.select(WorkingGroup).filter_by(name="کارگروه آب"))
    assert response.status_code == 302 and response.location.endswith(f"/groups/{group.id}")
    again = client.post(world.base, data={"name": "کارگروه زیارت"})
    assert again.status_code == 200 and "کارگروهی با این نام" in again.get_data(as_text=True)
    assert 'value="کارگروه زیارت"' in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEvent).filter_by(action="working_group.create")) is not None


def test_rename_group(client, world):
    url = f"{world.base}/{world.group.id}"
    assert client.post(url, data={"name": "کارگروه زائران"}).status_code == 302
    assert world.group.name == "کارگروه زائران"
    refused = client.post(url, data={"name": ""})
    assert refused.status_code == 422


def test_assign_and_take_back_items(client, world, factory):
    other = WorkingGroup(plan=world.plan, name="کارگروه آب")
    db.session.add(other)
    db.session.flush()
    url = f"{world.base}/{other.id}"
    assert client.post(f"{url}/items", data={"item_id": world.item["2"].id}).status_code == 302
    assert world.item["2"] in other.items
    # A deeper item inside another group's subtree may be given; an item held directly may not.
    assert client.post(f"{url}/items", data={"item_id": world.item["1.1"].id}).status_code == 302
    refused = client.post(f"{url}/items", data={"item_id": world.item["1"].id})
    assert refused.status_code == 422 and "پیش‌تر به کارگروه «کارگروه زیارت»" in refused.get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "۱ نظر در دامنهٔ این کارگروه" in page  # the comment on 1.1 moved with the deeper assignment
    assert client.post(f"{url}/items/{world.item['1.1'].id}/remove").status_code == 302
    assert world.item["1.1"] not in other.items
    foreign_item = factory.make_plan().items[0]
    assert client.post(f"{url}/items", data={"item_id": foreign_item.id}).status_code == 422


def test_add_and_remove_secretaries(client, world, factory):
    secretary = factory.make_user(Role.SECRETARY, password=None, name="دبیر تازه")
    expert = factory.make_user(password=None, name="خبرهٔ نه‌دبیر")
    url = f"{world.base}/{world.group.id}"
    page = client.get(url).get_data(as_text=True)
    assert "دبیر تازه" in page and "خبرهٔ نه‌دبیر" not in page
    assert client.post(f"{url}/secretaries", data={"user_id": secretary.id}).status_code == 302
    assert secretary in world.group.members
    assert db.session.scalar(sa.select(Participant).filter_by(
        consultation_id=world.consultation.id, user_id=secretary.id)) is not None  # may now review the round
    assert client.post(f"{url}/secretaries", data={"user_id": expert.id}).status_code == 422
    assert client.post(f"{url}/secretaries/{secretary.id}/remove").status_code == 302
    assert secretary not in world.group.members


def test_a_group_of_another_plan_is_not_found(client, world, factory):
    foreign = WorkingGroup(plan=factory.make_plan(), name="کارگروه دیگر")
    db.session.add(foreign)
    db.session.flush()
    assert client.get(f"{world.base}/{foreign.id}").status_code == 404
    assert client.post(f"{world.base}/{foreign.id}/items", data={"item_id": world.item["2"].id}).status_code == 404


@pytest.mark.parametrize(("role", "links"), [
    (Role.EXPERT, set()), (Role.SECRETARY, {"/review/"}), (Role.PLANNER, {"/review/", "/admin/groups"}),
    (Role.ADMIN, {"/review/", "/admin/groups"}),
])
def test_nav_links(client, factory, role, links):
    from flask import g

    g.pop("_login_user", None)
    user = factory.make_user(role, password=None)
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    page = client.get("/me/contributions").get_data(as_text=True)
    assert {link for link in ("/review/", "/admin/groups") if f'href="{link}"' in page} == links


def test_admin_sets_the_general_scope_setting(client, factory, world):
    from flask import g

    g.pop("_login_user", None)
    admin = factory.make_user(Role.ADMIN, password=None)
    with client.session_transaction() as session:
        session["_user_id"] = admin.get_id()
    form = client.get(f"/admin/c/{world.consultation.slug}").get_data(as_text=True)
    assert "secretaries_act_in_general" in form and "show_author_names" in form
    response = client.post(f"/admin/c/{world.consultation.slug}", data={
        "title": "دور", "opens_on": "1405/09/01", "closes_on": "1405/12/01", "state": "open",
        "secretaries_act_in_general": "y"})
    assert response.status_code == 302
    assert world.consultation.secretaries_act_in_general and not world.consultation.show_author_names


def test_a_secretary_added_on_screen_reads_the_groups_scope(client, world, factory, login_as):
    from flask import g

    secretary = factory.make_user(Role.SECRETARY, password=None)
    url = f"{world.base}/{world.group.id}"
    scope_url = f"/review/c/{world.consultation.slug}/scopes/group-{world.group.id}"
    assert client.post(f"{url}/secretaries", data={"user_id": secretary.id}).status_code == 302
    g.pop("_login_user", None)
    login_as(secretary)
    page = client.get(scope_url)
    assert page.status_code == 200 and "نظری در دامنهٔ کارگروه زیارت." in page.get_data(as_text=True)
    g.pop("_login_user", None)
    login_as(world.planner)
    assert client.post(f"{url}/secretaries/{secretary.id}/remove").status_code == 302
    g.pop("_login_user", None)
    login_as(secretary)
    assert client.get(scope_url).status_code == 403
