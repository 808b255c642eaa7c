"""Working-group screens for planners and admins: create and rename groups, assign plan items, add secretaries."""
import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consult.auth.models import User
from consult.consultations.models import Consultation
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.plan.models import PlanItem, WorkingGroup
from consult.review import groups as services
from consult.review.blueprint import bp
from consult.review.forms import AddSecretaryForm, AssignItemForm, GroupForm
from consult.review.scopes import GENERAL, counts_by_scope, group_key
from consult.web.actions import perform
from consult.web.forms import ActionForm
from consult.web.loaders import consultation_or_404
from consult.web.permissions import require


def _group_or_404(consultation: Consultation, group_id: int) -> WorkingGroup:
    group = db.get_or_404(WorkingGroup, group_id)
    if group.plan_id != consultation.plan_id:
        abort(404)
    return group


@bp.route("/admin/groups")
@require("manage_groups")
def group_rounds():
    """Every round, each leading to the working groups of its plan."""
    rounds = db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc())).all()
    return render_template("review/manage/rounds.html", consultations=rounds)


@bp.route("/admin/c/<slug>/groups", methods=["GET", "POST"])
@require("manage_groups")
def groups(slug: str):
    """The plan's working groups with their items, secretaries and scope counts, and a form for a new one."""
    consultation = consultation_or_404(slug)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.create_group(consultation.plan, current_user, form.name.data)
        except ConsultError as error:
            form.name.errors.append(error.message)
        else:
            db.session.commit()
            flash("کارگروه ساخته شد؛ اکنون بندها و دبیرانش را بیفزایید.", "success")
            return redirect(url_for("review.edit_group", slug=slug, group_id=group.id))
    rows = db.session.scalars(sa.select(WorkingGroup).where(WorkingGroup.plan_id == consultation.plan_id)
                              .order_by(WorkingGroup.name, WorkingGroup.id)).all()
    return render_template("review/manage/groups.html", consultation=consultation, groups=rows, form=form,
                           counts=counts_by_scope(consultation), group_key=group_key, general=GENERAL)


def _render_group(consultation, group, rename=None, assign=None, add=None, status=200):
    items = db.session.scalars(sa.select(PlanItem).where(PlanItem.plan_id == consultation.plan_id)
                               .order_by(PlanItem.position, PlanItem.id)).all()
    assign = assign or AssignItemForm(formdata=None)
    assign.item_id.choices = [SelectChoice(i.id, f"{i.code} {i.title[:70]}") for i in items]
    add = add or AddSecretaryForm(formdata=None)
    add.user_id.choices = [SelectChoice(u.id, f"{u.display_name} ({u.email})")
                           for u in services.secretary_choices(group)]
    return render_template(
        "review/manage/group.html", consultation=consultation, group=group,
        rename=rename or GroupForm(formdata=None, data={"name": group.name}), assign=assign, add=add,
        action=ActionForm(), count=counts_by_scope(consultation).get(group_key(group), 0),
        items=sorted(group.items, key=lambda i: (i.position, i.id)),
    ), status


@bp.route("/admin/c/<slug>/groups/<int:group_id>", methods=["GET", "POST"])
@require("manage_groups")
def edit_group(slug: str, group_id: int):
    """One group: rename it, assign and take back plan items, add and remove secretaries."""
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    form = GroupForm()
    if form.validate_on_submit():
        try:
            services.rename_group(group, current_user, form.name.data)
        except ConsultError as error:
            form.name.errors.append(error.message)
            return _render_group(consultation, group, rename=form, status=422)
        db.session.commit()
        flash("نام کارگروه تغییر کرد.", "success")
        return redirect(url_for("review.edit_group", slug=slug, group_id=group.id))
    if form.is_submitted():
        return _render_group(consultation, group, rename=form, status=422)
    return _render_group(consultation, group)


@bp.route("/admin/c/<slug>/groups/<int:group_id>/items", methods=["POST"])
@require("manage_groups")
def assign_item(slug: str, group_id: int):
    """Give the group a plan item and its subtree."""
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    form = AssignItemForm()
    form.item_id.choices = [SelectChoice(i, str(i)) for i in db.session.scalars(
        sa.select(PlanItem.id).where(PlanItem.plan_id == consultation.plan_id))]
    if form.validate_on_submit():
        try:
            services.assign_item(group, current_user, db.session.get(PlanItem, form.item_id.data))
        except ConsultError as error:
            form.item_id.errors.append(error.message)
        else:
            db.session.commit()
            flash("بند به کارگروه سپرده شد.", "success")
            return redirect(url_for("review.edit_group", slug=slug, group_id=group.id, _anchor="items"))
    return _render_group(consultation, group, assign=form, status=422)


@bp.route("/admin/c/<slug>/groups/<int:group_id>/items/<int:item_id>/remove", methods=["POST"])
@require("manage_groups")
def unassign_item(slug: str, group_id: int, item_id: int):
    """Take an item back from the group; its comments go to the next owner up, or to general."""
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    item = db.get_or_404(PlanItem, item_id)
    perform(lambda: services.unassign_item(group, current_user, item), "بند از کارگروه برداشته شد.")
    return redirect(url_for("review.edit_group", slug=slug, group_id=group.id, _anchor="items"))


@bp.route("/admin/c/<slug>/groups/<int:group_id>/secretaries", methods=["POST"])
@require("manage_groups")
def add_secretary(slug: str, group_id: int):
    """Add a secretary to the group (and to the round's participants)."""
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    form = AddSecretaryForm()
    form.user_id.choices = [SelectChoice(u.id, u.display_name) for u in services.secretary_choices(group)]
    if form.validate_on_submit():
        try:
            services.add_secretary(group, current_user, db.session.get(User, form.user_id.data), consultation)
        except ConsultError as error:
            form.user_id.errors.append(error.message)
        else:
            db.session.commit()
            flash("دبیر به کارگروه افزوده شد.", "success")
            return redirect(url_for("review.edit_group", slug=slug, group_id=group.id, _anchor="secretaries"))
    return _render_group(consultation, group, add=form, status=422)


@bp.route("/admin/c/<slug>/groups/<int:group_id>/secretaries/<int:user_id>/remove",
                      methods=["POST"])
@require("manage_groups")
def remove_secretary(slug: str, group_id: int, user_id: int):
    """Take a secretary out of the group."""
    consultation = consultation_or_404(slug)
    group = _group_or_404(consultation, group_id)
    user = db.get_or_404(User, user_id)
    perform(lambda: services.remove_secretary(group, current_user, user), "دبیر از کارگروه برداشته شد.")
    return redirect(url_for("review.edit_group", slug=slug, group_id=group.id, _anchor="secretaries"))
