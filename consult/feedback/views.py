"""Comment forms, withdrawals, questionnaire answers and "my contributions"."""
import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import HTTPException

from consult.consultations.models import Consultation, Questionnaire
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.feedback import answers as questionnaires
from consult.feedback import services
from consult.feedback.blueprint import bp
from consult.feedback.forms import comment_form, questionnaire_form
from consult.feedback.models import Comment
from consult.feedback.services import TEXT_LABELS
from consult.web import drafts
from consult.web.errors import render_error, rerender_on_csrf_error
from consult.web.loaders import load_consultation, load_item
from consult.web.permissions import require

EXPIRED = "این صفحه منقضی شده بود و ذخیره نشد؛ متن شما در همین صفحه مانده است. برای ثبت، دوباره «ذخیره» را بزنید."
CSRF_EXPIRED = "consult.csrf_expired"  # request.environ key: the view only shows the posted form again
SAVED_COMMENT = "نظر شما ذخیره شد."
SAVED_ANSWERS = "پاسخ‌های شما ذخیره شد."


def load_comment(slug: str, comment_id: int, **_) -> Comment:
    """A comment of the consultation named in the URL; 404 otherwise."""
    consultation = load_consultation(slug)
    return db.first_or_404(sa.select(Comment).filter_by(id=comment_id, consultation_id=consultation.id))


def load_questionnaire(consultation, questionnaire_id: int) -> Questionnaire:
    """A questionnaire of the consultation; 404 otherwise."""
    return db.first_or_404(
        sa.select(Questionnaire).filter_by(id=questionnaire_id, consultation_id=consultation.id)
    )


def _status(error: ConsultError) -> int:
    if isinstance(error, services.ConsultationClosed):
        return 409
    if isinstance(error, services.NotAllowed):
        return 403
    return 422


def _comment_page(consultation, form, *, scope: str, item=None, comment=None, notice=None, status=200):
    return render_template(
        "feedback/comment_form.html",
        consultation=consultation, item=item, comment=comment, form=form, notice=notice,
        accepts=consultation.accepts_input(), draft_key=drafts.draft_key(consultation, scope),
        invalid=bool(form.errors),
    ), status


def _beside_fields(form, error: ConsultError) -> bool:
    """Show a service's refusal beside the fields it names; False when it names none of this form."""
    problems = getattr(error, "problems", None)
    if not problems or any(problem.column not in form for problem in problems):
        return False
    for problem in problems:
        form[problem.column].errors = [*form[problem.column].errors, problem.fa]
    return True


def _add_rule_problems(form, problems) -> None:
    """Put the service's rule problems beside the fields the form's own checks left without an error."""
    for problem in problems:
        if problem.column in form and not form[problem.column].errors:
            form[problem.column].errors = [problem.fa]


def _save_or_rerender(form, save, render, done, rules=None):
    """Validate, call the service, commit once; on refusal re-render everything as typed.

    `rules` returns the service's problems with the posted data, shown with the form's own in one round.
    """
    if request.environ.get(CSRF_EXPIRED):
        return render(notice=EXPIRED, status=400)
    if not form.is_submitted():
        return render()
    if not form.validate():
        if rules:
            _add_rule_problems(form, rules())
        return render(status=422)
    try:
        save()
    except ConsultError as error:
        # Services refuse before changing anything; nothing is committed, the request ends the session.
        if _beside_fields(form, error):
            return render(status=_status(error))
        return render(notice=error.message, status=_status(error))
    db.session.commit()
    return done()


def _comment_rules(form) -> list:
    fields = form.comment_fields()
    return services.comment_problems(fields["stance"], fields["body"], fields["amendment"], fields["diagnosis"])


@bp.route("/c/<slug>/items/<code>/comment", methods=["GET", "POST"])
@require("contribute", load=load_consultation)
def edit_comment(slug: str, code: str, consultation: Consultation):
    """Write, edit or bring back the user's one comment on a plan item."""
    item = load_item(consultation, code)
    comment = services.own_comment(consultation, item, current_user)
    form = comment_form(consultation.criteria, comment)

    def render(**extra):
        return _comment_page(consultation, form, scope=f"item-{item.id}", item=item, comment=comment, **extra)

    def done():
        flash(SAVED_COMMENT, "success")
        drafts.remember_saved(consultation, f"item-{item.id}")
        return redirect(url_for("plan.show_item", slug=slug, code=item.code, saved=f"item-{item.id}"))

    return _save_or_rerender(
        form, lambda: services.save_item_comment(consultation, item, current_user, **form.comment_fields()),
        render, done, rules=lambda: _comment_rules(form),
    )


@bp.route("/c/<slug>/comments/new", methods=["GET", "POST"])
@require("contribute", load=load_consultation)
def new_general_comment(slug: str, consultation: Consultation):
    """A general comment on the plan, not tied to one item; any number are allowed."""
    form = comment_form(consultation.criteria)

    def render(**extra):
        return _comment_page(consultation, form, scope="general-new", **extra)

    def done():
        flash(SAVED_COMMENT, "success")
        drafts.remember_saved(consultation, "general-new")
        return redirect(url_for("consultations.show", slug=slug, saved="general-new"))

    return _save_or_rerender(
        form, lambda: services.save_general_comment(consultation, current_user, **form.comment_fields()),
        render, done, rules=lambda: _comment_rules(form),
    )


@bp.route("/c/<slug>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@require("edit_comment", load=load_comment)
def edit_general_comment(slug: str, comment_id: int, comment: Comment):
    """Edit (or bring back) one of the user's general comments."""
    if comment.item_id is not None:
        return redirect(url_for("feedback.edit_comment", slug=slug, code=comment.item.code))
    consultation = comment.consultation
    form = comment_form(consultation.criteria, comment)

    def render(**extra):
        return _comment_page(consultation, form, scope=f"general-{comment.id}", comment=comment, **extra)

    def done():
        flash(SAVED_COMMENT, "success")
        drafts.remember_saved(consultation, f"general-{comment.id}")
        return redirect(url_for("consultations.show", slug=slug, saved=f"general-{comment.id}"))

    return _save_or_rerender(
        form,
        lambda: services.save_general_comment(consultation, current_user, comment=comment,
                                              **form.comment_fields()),
        render, done, rules=lambda: _comment_rules(form),
    )


def _comment_place(slug: str, comment: Comment) -> str:
    if comment.item_id is not None:
        return url_for("plan.show_item", slug=slug, code=comment.item.code)
    return url_for("consultations.show", slug=slug)


@bp.route("/c/<slug>/comments/<int:comment_id>/withdraw", methods=["GET", "POST"])
@require("edit_comment", load=load_comment)
def withdraw_comment(slug: str, comment_id: int, comment: Comment):
    """Withdraw (soft-delete) one's own comment while the round is open; GET asks first."""
    if request.method == "GET":
        return render_template(
            "confirm.html", title="پس گرفتن نظر", details=comment.body, button="بله، پس بگیر",
            question="این نظر پس گرفته می‌شود و در شمار نظرها نمی‌آید؛ "
                     "تا پایان این دور می‌توانید آن را دوباره ثبت کنید.",
            action=request.path, cancel=_comment_place(slug, comment))
    try:
        services.withdraw_comment(comment, current_user)
    except ConsultError as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("نظر شما پس گرفته شد. تا پایان این دور می‌توانید آن را دوباره ثبت کنید.", "success")
    return redirect(_comment_place(slug, comment))


@bp.route("/c/<slug>/questionnaires/<int:questionnaire_id>", methods=["GET", "POST"])
@require("contribute", load=load_consultation)
def answer_questionnaire(slug: str, questionnaire_id: int, consultation: Consultation):
    """Answer a questionnaire, or revise the answers until the round closes."""
    questionnaire = load_questionnaire(consultation, questionnaire_id)
    form = questionnaire_form(questionnaire, questionnaires.answers_of(questionnaire, current_user))

    def render(**extra):
        return _questionnaire_page(consultation, questionnaire, form, **extra)

    def done():
        flash(SAVED_ANSWERS, "success")
        drafts.remember_saved(consultation, f"questionnaire-{questionnaire.id}")
        return redirect(url_for("consultations.show", slug=slug, saved=f"questionnaire-{questionnaire.id}"))

    return _save_or_rerender(
        form, lambda: questionnaires.save_answers(questionnaire, current_user, form.values()), render, done,
    )


def _questionnaire_page(consultation, questionnaire, form, *, notice=None, status=200):
    return render_template(
        "feedback/questionnaire.html",
        consultation=consultation, questionnaire=questionnaire, form=form, notice=notice,
        accepts=consultation.accepts_input(), invalid=bool(form.errors),
        draft_key=drafts.draft_key(consultation, f"questionnaire-{questionnaire.id}"),
        answered=bool(questionnaires.answers_of(questionnaire, current_user)),
    ), status


@bp.route("/me/contributions")
@login_required
def my_contributions():
    """Every comment and questionnaire answer of the user, across consultations."""
    return render_template(
        "feedback/my_contributions.html",
        comments=services.comments_of(current_user),
        answered=questionnaires.questionnaires_answered_by(current_user),
    )


# A stale or missing CSRF token is refused before the view runs: run the view again, which loads
# and checks exactly what it always does, to show its form filled from what was posted, with a fresh
# token and nothing saved, so nothing typed is lost.

def _rerender_when_expired(endpoint: str) -> None:
    @rerender_on_csrf_error(endpoint)
    def expired(**view_args):
        if not current_user.is_authenticated:
            texts = [(TEXT_LABELS.get(name, "پاسخ"), value) for name, value in request.form.items(multi=True)
                     if name not in ("csrf_token", "submission_key", "stance")
                     and not name.startswith("rating_") and value.strip()]
            return render_template("feedback/session_expired.html", texts=texts, next_url=request.path), 400
        request.environ[CSRF_EXPIRED] = True  # per request, unlike g when an app context is already pushed
        try:
            return current_app.view_functions[endpoint](**view_args)
        except HTTPException as error:
            # An error handler's own exception is not handled again: answer with the error page here.
            return render_error(error.code or 400)


for _endpoint in ("feedback.edit_comment", "feedback.new_general_comment", "feedback.edit_general_comment",
                  "feedback.answer_questionnaire"):
    _rerender_when_expired(_endpoint)
