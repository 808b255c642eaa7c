"""Clustering runs of a scope: start one, follow its state."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from consult.auth.permissions import can
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.review import placing, runs, scopes
from consult.review.blueprint import bp
from consult.review.forms import RunForm
from consult.web.loaders import load_consultation
from consult.web.permissions import require


def _render(consultation, scope_key: str, form: RunForm, status: int = 200):
    scope_runs = runs.scope_runs(consultation, scope_key)
    return render_template(
        "review/runs.html", consultation=consultation, scope_key=scope_key,
        scope_label=scopes.scope_by_key(consultation, scope_key).label, runs=scope_runs, form=form,
        active=any(run.is_active for run in scope_runs),
        comment_count=runs.scope_comment_count(consultation, scope_key),
        new_count=placing.new_since_last_run(consultation, scope_key),
    ), status


def _scope_or_404(consultation, scope_key: str, action: str) -> None:
    """404 for a scope the round does not have; 403 unless can() allows the action in it."""
    if scopes.scope_by_key(consultation, scope_key) is None:
        abort(404)
    if not can(current_user, action, (consultation, scope_key)):
        abort(403)


@bp.get("/review/c/<slug>/scopes/<scope_key>/runs")
@require("read_scopes", load=load_consultation)
def scope_runs(slug: str, scope_key: str, consultation):
    _scope_or_404(consultation, scope_key, "read_scope")
    return _render(consultation, scope_key, RunForm())


@bp.post("/review/c/<slug>/scopes/<scope_key>/runs")
@require("read_scopes", load=load_consultation)
def start_run(slug: str, scope_key: str, consultation):
    _scope_or_404(consultation, scope_key, "act_in_scope")
    form = RunForm()
    if not form.validate_on_submit():
        return _render(consultation, scope_key, form, 422)
    try:
        runs.start_run(consultation, scope_key, current_user, form.k.data)
    except ConsultError as error:
        flash(error.message, "error")
        return _render(consultation, scope_key, form, 409)
    db.session.commit()
    flash("اجرای خوشه‌بندی در صف قرار گرفت.", "success")
    return redirect(url_for("review.scope_runs", slug=slug, scope_key=scope_key))
