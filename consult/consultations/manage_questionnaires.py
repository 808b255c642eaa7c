"""Admin views for the questionnaire builder."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from consult.consultations import questionnaires as services
from consult.consultations.blueprint import bp
from consult.consultations.forms import KIND_LABELS, QuestionForm, QuestionnaireForm
from consult.consultations.models import Question, Questionnaire
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.web.actions import confirm_removal, perform
from consult.web.forms import ActionForm
from consult.web.loaders import consultation_or_404
from consult.web.permissions import require


def _question_fields(form: QuestionForm) -> dict:
    return {name: getattr(form, name).data for name in ("kind", "text", "help_text", "choices", "required")}


@bp.route("/admin/c/<slug>/questionnaires", methods=["GET", "POST"])
@require("admin")
def questionnaires(slug: str):
    """A consultation's questionnaires and a form to start a new one."""
    consultation = consultation_or_404(slug)
    form = QuestionnaireForm()
    if form.validate_on_submit():
        questionnaire = services.create_questionnaire(consultation, current_user, title=form.title.data,
                                                      description=form.description.data,
                                                      submission_key=form.submission_key.data)
        db.session.commit()
        flash("پرسش‌نامه ساخته شد؛ اکنون پرسش‌ها را بیفزایید.", "success")
        return redirect(url_for("consultations.edit_questionnaire", questionnaire_id=questionnaire.id))
    return render_template("consultations/manage/questionnaires.html", consultation=consultation, form=form)


@bp.route("/admin/questionnaires/<int:questionnaire_id>", methods=["GET", "POST"])
@require("admin")
def edit_questionnaire(questionnaire_id: int):
    """Edit a questionnaire's title and add questions to it."""
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    details = QuestionnaireForm(prefix="q", data={"title": questionnaire.title,
                                                  "description": questionnaire.description})
    question = QuestionForm(prefix="new")
    if details.submit.data and details.validate_on_submit():
        services.update_questionnaire(questionnaire, current_user, title=details.title.data,
                                      description=details.description.data)
        return _saved("پرسش‌نامه ذخیره شد.", questionnaire)
    if question.submit.data and question.validate_on_submit():
        try:
            services.add_question(questionnaire, current_user, submission_key=question.submission_key.data,
                                  **_question_fields(question))
        except services.BadChoices as error:
            question.choices.errors.append(error.message)
        else:
            return _saved("پرسش افزوده شد.", questionnaire)
    return render_template("consultations/manage/edit_questionnaire.html", questionnaire=questionnaire, details=details,
                           question_form=question, action=ActionForm(), kind_labels=KIND_LABELS)


def _saved(message: str, questionnaire: Questionnaire):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("consultations.edit_questionnaire", questionnaire_id=questionnaire.id, _anchor="questions"))


@bp.route("/admin/questionnaires/<int:questionnaire_id>/remove", methods=["GET", "POST"])
@require("admin")
def remove_questionnaire(questionnaire_id: int):
    """Remove a questionnaire nobody has answered; GET asks first."""
    questionnaire = db.get_or_404(Questionnaire, questionnaire_id)
    if request.method == "GET":
        return confirm_removal(f"پرسش‌نامهٔ «{questionnaire.title}» با همهٔ پرسش‌هایش حذف شود؟",
                               url_for("consultations.edit_questionnaire", questionnaire_id=questionnaire.id))
    slug = questionnaire.consultation.slug
    if perform(lambda: services.remove_questionnaire(questionnaire, current_user), "پرسش‌نامه حذف شد."):
        return redirect(url_for("consultations.questionnaires", slug=slug))
    return redirect(url_for("consultations.edit_questionnaire", questionnaire_id=questionnaire_id))


@bp.route("/admin/questions/<int:question_id>", methods=["GET", "POST"])
@require("admin")
def edit_question(question_id: int):
    """Edit one question: kind, text, help, choices one per line, required."""
    question = db.get_or_404(Question, question_id)
    form = QuestionForm(data={"kind": question.kind.value, "text": question.text, "help_text": question.help_text,
                              "choices": services.choices_text(question), "required": question.required})
    if form.validate_on_submit():
        try:
            services.update_question(question, current_user, **_question_fields(form))
        except services.BadChoices as error:
            form.choices.errors.append(error.message)
        except ConsultError as error:
            form.kind.errors.append(error.message)
        else:
            return _saved("پرسش ذخیره شد.", question.questionnaire)
    return render_template("consultations/manage/edit_question.html", question=question, form=form)


@bp.route("/admin/questions/<int:question_id>/move/<any(up, down):direction>", methods=["POST"])
@require("admin")
def move_question(question_id: int, direction: str):
    """Move a question one place up or down."""
    question = db.get_or_404(Question, question_id)
    if ActionForm().validate_on_submit():
        services.move_question(question, current_user, -1 if direction == "up" else 1)
        db.session.commit()
    return redirect(url_for("consultations.edit_questionnaire", questionnaire_id=question.questionnaire_id,
                            _anchor="questions"))


@bp.route("/admin/questions/<int:question_id>/remove", methods=["GET", "POST"])
@require("admin")
def remove_question(question_id: int):
    """Remove a question nobody has answered; GET asks first."""
    question = db.get_or_404(Question, question_id)
    if request.method == "GET":
        return confirm_removal("این پرسش حذف شود؟", url_for("consultations.edit_questionnaire",
                               questionnaire_id=question.questionnaire_id, _anchor="questions"), question.text)
    questionnaire_id = question.questionnaire_id
    perform(lambda: services.remove_question(question, current_user), "پرسش حذف شد.")
    return redirect(url_for("consultations.edit_questionnaire", questionnaire_id=questionnaire_id, _anchor="questions"))
