"""Admin views for consultation rounds: list, create, settings and rating criteria."""
import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from consult.consultations import settings as services
from consult.consultations.blueprint import bp
from consult.consultations.forms import ConsultationForm, CriterionForm, NewConsultationForm, RenameCriterionForm
from consult.consultations.models import Consultation, Criterion
from consult.core.errors import ValidationFailed
from consult.core.time import local_date
from consult.extensions import db
from consult.plan.models import Plan
from consult.web.actions import confirm_removal, perform
from consult.web.forms import ActionForm
from consult.web.loaders import consultation_or_404
from consult.web.permissions import require

FIELDS = ("title", "description", "opens_on", "closes_on", "state", "show_author_names",
          "secretaries_act_in_general")


@bp.route("/admin/consultations", methods=["GET", "POST"])
@require("admin")
def consultations():
    """Every round, and a form to start a new one on an imported plan."""
    form = NewConsultationForm()
    form.plan_id.choices = [SelectChoice(p.id, p.title) for p in db.session.scalars(sa.select(Plan).order_by(Plan.id))]
    if form.validate_on_submit():
        try:
            consultation = services.new_consultation(
                current_user, plan=db.session.get(Plan, form.plan_id.data), slug=form.slug.data,
                submission_key=form.submission_key.data,
                **{name: getattr(form, name).data for name in FIELDS})
        except services.SlugTaken as error:
            form.slug.errors.append(error.message)
        except ValidationFailed as error:
            form.closes_on.errors.append(error.message)
        else:
            db.session.commit()
            flash("دور مشورت ساخته شد.", "success")
            return redirect(url_for("consultations.edit_consultation", slug=consultation.slug))
    rows = db.session.scalars(sa.select(Consultation).order_by(Consultation.opens_at.desc())).all()
    return render_template("consultations/manage/consultations.html", consultations=rows, form=form)


@bp.route("/admin/c/<slug>", methods=["GET", "POST"])
@require("admin")
def edit_consultation(slug: str):
    """Title, description, Jalali dates, state and export setting of a round."""
    consultation = consultation_or_404(slug)
    form = ConsultationForm(data=_settings(consultation))
    if form.validate_on_submit():
        try:
            services.update_consultation(consultation, current_user,
                                         **{name: getattr(form, name).data for name in FIELDS})
        except ValidationFailed as error:
            form.closes_on.errors.append(error.message)
        else:
            db.session.commit()
            flash("تغییرات ذخیره شد.", "success")
            return redirect(url_for("consultations.edit_consultation", slug=slug))
    return render_edit(consultation, form=form)


def _settings(consultation: Consultation) -> dict:
    return {
        "title": consultation.title, "description": consultation.description,
        "opens_on": local_date(consultation.opens_at), "closes_on": local_date(consultation.closes_at),
        "state": consultation.state.value, "show_author_names": consultation.show_author_names,
        "secretaries_act_in_general": consultation.secretaries_act_in_general,
    }


def render_edit(consultation: Consultation, form=None, criterion_form=None, rename: dict | None = None):
    """The settings page with its criteria forms; a refused form is passed in to keep what was typed."""
    rename_forms = {
        c.id: RenameCriterionForm(prefix=f"criterion-{c.id}", formdata=None, data={"label": c.label})
        for c in consultation.criteria
    }
    rename_forms.update(rename or {})
    return render_template(
        "consultations/manage/edit_consultation.html", consultation=consultation,
        form=form or ConsultationForm(formdata=None, data=_settings(consultation)),
        criterion_form=criterion_form or CriterionForm(prefix="criterion", formdata=None), rename_forms=rename_forms,
        action=ActionForm(),
    )


@bp.route("/admin/c/<slug>/criteria", methods=["POST"])
@require("admin")
def add_criterion(slug: str):
    """Add a rating criterion (Latin slug, Persian label)."""
    consultation = consultation_or_404(slug)
    form = CriterionForm(prefix="criterion")
    if form.validate_on_submit():
        try:
            services.add_criterion(consultation, current_user, slug=form.slug.data, label=form.label.data,
                                   submission_key=form.submission_key.data)
        except ValidationFailed as error:
            form.slug.errors.append(error.message)
        else:
            db.session.commit()
            flash("معیار افزوده شد.", "success")
            return redirect(url_for("consultations.edit_consultation", slug=slug, _anchor="criteria"))
    return render_edit(consultation, criterion_form=form), 422


@bp.route("/admin/criteria/<int:criterion_id>/rename", methods=["POST"])
@require("admin")
def rename_criterion(criterion_id: int):
    """Change a criterion's Persian label."""
    criterion = db.get_or_404(Criterion, criterion_id)
    form = RenameCriterionForm(prefix=f"criterion-{criterion.id}")
    if not form.validate_on_submit():
        return render_edit(criterion.consultation, rename={criterion.id: form}), 422
    services.rename_criterion(criterion, current_user, form.label.data)
    db.session.commit()
    flash("نام معیار تغییر کرد.", "success")
    return redirect(url_for("consultations.edit_consultation", slug=criterion.consultation.slug, _anchor="criteria"))


@bp.route("/admin/criteria/<int:criterion_id>/move/<any(up, down):direction>", methods=["POST"])
@require("admin")
def move_criterion(criterion_id: int, direction: str):
    """Move a criterion one place up or down."""
    criterion = db.get_or_404(Criterion, criterion_id)
    if ActionForm().validate_on_submit():
        services.move_criterion(criterion, current_user, -1 if direction == "up" else 1)
        db.session.commit()
    return redirect(url_for("consultations.edit_consultation", slug=criterion.consultation.slug, _anchor="criteria"))


@bp.route("/admin/criteria/<int:criterion_id>/remove", methods=["GET", "POST"])
@require("admin")
def remove_criterion(criterion_id: int):
    """Remove a criterion nobody has rated; GET asks first."""
    criterion = db.get_or_404(Criterion, criterion_id)
    slug = criterion.consultation.slug
    if request.method == "GET":
        return confirm_removal(f"معیار «{criterion.label}» حذف شود؟",
                               url_for("consultations.edit_consultation", slug=slug, _anchor="criteria"))
    perform(lambda: services.remove_criterion(criterion, current_user), "معیار حذف شد.")
    return redirect(url_for("consultations.edit_consultation", slug=slug, _anchor="criteria"))
