"""The overview page of a consultation round."""
from flask import render_template
from flask_login import current_user

from consult.auth.permissions import can
from consult.consultations.blueprint import bp
from consult.consultations.models import STATE_LABELS, Consultation
from consult.feedback import services as feedback_services
from consult.feedback.answers import answered_questionnaires
from consult.web.drafts import pop_saved
from consult.web.loaders import load_consultation
from consult.web.permissions import require


@bp.route("/c/<slug>")
@require("view_consultation", load=load_consultation)
def show(slug: str, consultation: Consultation):
    """Dates, state and the ways in: plan tree, general comments, questionnaires."""
    return render_template(
        "consultations/show.html",
        consultation=consultation,
        state_label=STATE_LABELS[consultation.state],
        accepts=consultation.accepts_input(),
        may_contribute=can(current_user, "contribute", consultation),
        may_review=can(current_user, "read_scopes", consultation),
        general_comments=feedback_services.general_comments_of(consultation, current_user),
        own_item_comments=feedback_services.count_item_comments_of(consultation, current_user),
        answered=answered_questionnaires(consultation, current_user),
        saved_draft=pop_saved(),
    )
