"""Managing accounts (admins): the users list, roles, sign-in switch and reset links."""
from uuid import uuid4

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from consult.auth import accounts
from consult.auth import services as auth_services
from consult.auth.blueprint import bp
from consult.auth.forms import ResetLinkForm, RoleForm
from consult.auth.labels import ROLE_LABELS
from consult.auth.models import Role, User
from consult.auth.views import reset_link, safe_next
from consult.core.errors import ConsultError
from consult.extensions import db
from consult.web.actions import perform
from consult.web.forms import ActionForm
from consult.web.lists import search_args
from consult.web.permissions import require
from consult.web.security import no_store


@bp.route("/admin/users")
@require("admin")
def users():
    """Everyone with an account, searchable by name, email or organisation: role, active switch, reset links."""
    query, number = search_args()
    page = accounts.users_page(query, number)
    return render_template("auth/manage/users.html", users=page.rows, page=page, query=query, form=ActionForm(),
                           reset_keys={user.id: uuid4().hex for user in page.rows},
                           reset_requests=accounts.reset_requests([u.id for u in page.rows]))


@bp.route("/admin/users/<int:user_id>/role", methods=["POST"])
@require("admin")
def change_role(user_id: int):
    """Change an account's role, then go back to the list it was changed from."""
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        perform(lambda: accounts.set_user_role(user, Role(form.role.data), current_user),
                lambda: f"نقش {user.display_name} «{ROLE_LABELS[user.role]}» شد.")
    return redirect(safe_next(form.next.data) or url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/active", methods=["POST"])
@require("admin")
def toggle_user(user_id: int):
    """Switch a user's sign-in on or off."""
    user = db.get_or_404(User, user_id)
    perform(lambda: accounts.set_user_active(user, not user.active, current_user),
            lambda: f"حساب {user.display_name} {'فعال' if user.active else 'غیرفعال'} شد.")
    return redirect(url_for("auth.users"))


@bp.route("/admin/users/<int:user_id>/reset", methods=["POST"])
@require("admin")
@no_store
def issue_reset(user_id: int):
    """Issue a single-use reset link and show it to the admin, who passes it on."""
    user = db.get_or_404(User, user_id)
    form = ResetLinkForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.users"))
    try:
        issued = auth_services.issue_reset(user, actor=current_user, submission_key=form.submission_key.data)
    except ConsultError as error:
        flash(error.message, "error")
        return redirect(url_for("auth.users"))
    expires_at = issued.row.expires_at  # read before the commit: a later post may replace the row
    db.session.commit()
    return render_template("auth/manage/reset_issued.html", user=user, link=reset_link(issued), expires_at=expires_at)
