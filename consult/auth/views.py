"""Sign-in, sign-out, invitations and password reset."""
from datetime import timedelta
from urllib.parse import urlsplit

from flask import after_this_request, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from consult.auth import services
from consult.auth.blueprint import bp
from consult.auth.forms import AcceptInvitationForm, ForgotPasswordForm, JoinForm, LoginForm, ResetPasswordForm
from consult.auth.mail import mail_configured, queue_mail
from consult.auth.models import TokenPurpose
from consult.consultations import invitations
from consult.extensions import db
from consult.web import devices
from consult.web.errors import CSRF_EXPIRED_MESSAGE, rerender_on_csrf_error
from consult.web.limits import invitation_account, limit_logins, limit_password_checks, limit_reset_requests
from consult.web.links import external_url
from consult.web.security import no_store

MAX_REMEMBER = timedelta(days=14)
FORGOT_ANSWER = (
    "اگر این نشانی در سامانه ثبت شده باشد، پیوند بازیابی گذرواژه برای آن فرستاده می‌شود. "
    "اگر پیامی نرسید، از مدیر سامانه بخواهید پیوند بازیابی برایتان صادر کند."
)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site, never another host (open redirect) nor a control character (header split)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def sign_in(user, remember: bool = False) -> None:
    """Start a session that expires (PERMANENT_SESSION_LIFETIME); remember for at most 14 days."""
    session.clear()
    session.permanent = True
    duration = min(current_app.config.get("REMEMBER_COOKIE_DURATION", MAX_REMEMBER), MAX_REMEMBER)
    login_user(user, remember=remember, duration=duration)
    email = user.email
    after_this_request(lambda response: devices.remember(response, email))


def home_for(user) -> str:
    """Where a user lands after signing in without a `next`."""
    return url_for("main.index")


@bp.route("/auth/login", methods=["GET", "POST"])
@limit_logins
def login():
    """Sign in with email and password."""
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.ConsultError as error:
            form.password.errors.append(error.message)
        else:
            sign_in(user, remember=form.remember.data)
            return redirect(next_url or home_for(user))
    return render_template("auth/login.html", form=form, next_url=next_url)


@rerender_on_csrf_error("auth.login")
def _login_expired():
    # The page sat open past its session: show it again with the typed email (never the password).
    form = LoginForm()
    return render_template("auth/login.html", form=form, next_url=safe_next(request.values.get("next")),
                           notice=CSRF_EXPIRED_MESSAGE), 400


@bp.route("/auth/logout", methods=["POST"])
def logout():
    """Sign out and forget the remember-me cookie; POST only, so another site cannot sign people out."""
    if current_user.is_authenticated:
        services.sign_out(current_user)
        db.session.commit()
    # Clear first: logout_user() leaves a note in the session that makes Flask-Login delete the cookie.
    session.clear()
    logout_user()
    flash("از سامانه خارج شدید.", "info")
    return redirect(url_for("auth.login"))


def _token_page(error: services.TokenInvalid):
    return render_template("auth/token_problem.html", message=error.message), error.status


@bp.route("/auth/invite/<token>", methods=["GET", "POST"])
@no_store
@limit_password_checks(invitation_account)  # an existing account proves its password here
def accept_invitation(token: str):
    """Open an invitation: set a password (or confirm an existing one) and join the consultation."""
    try:
        invitation = services.load_token(token, TokenPurpose.INVITE, for_update=request.method == "POST")
    except services.TokenInvalid as error:
        return _repeat_or_refuse(token, TokenPurpose.INVITE, error)
    account = invitations.existing_account(invitation)
    form = JoinForm() if account else AcceptInvitationForm(data={"name": invitation.name})
    if form.validate_on_submit() and (user := _set_password(form, lambda: _accept(invitation, form, account))):
        return _spent(invitation, user)
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation, account=account)


@rerender_on_csrf_error("auth.accept_invitation")
def _invitation_expired(token: str):
    try:
        invitation = services.load_token(token, TokenPurpose.INVITE)
    except services.TokenInvalid as error:
        return _token_page(error)
    account = invitations.existing_account(invitation)
    form = JoinForm() if account else AcceptInvitationForm()
    return render_template("auth/accept_invitation.html", form=form, invitation=invitation, account=account,
                           notice=CSRF_EXPIRED_MESSAGE), 400


def _set_password(form, save):
    """Run a password-setting service; on success commit and sign in, else put its reasons on the field."""
    try:
        user = save()
    except services.WeakPassword as error:
        form.password.errors.extend(error.problems)
    except services.ConsultError as error:
        form.password.errors.append(error.message)
    else:
        db.session.commit()
        sign_in(user)
        return user
    return None


def _accept(invitation, form, account):
    if account:
        return invitations.join_with_password(invitation, password=form.password.data,
                                           submission_key=form.submission_key.data)
    return invitations.accept_invitation(invitation, name=form.name.data, password=form.password.data,
                                      submission_key=form.submission_key.data)


def _spent(token, user):
    """The answer to the post that spent an invitation or reset link, and to any repeat of that post."""
    if token.purpose == TokenPurpose.INVITE:
        flash("به این دور مشورت خوش آمدید.", "success")
        return redirect(_consultation_url(token.consultation))
    flash("گذرواژهٔ تازه ذخیره شد و وارد شدید.", "success")
    return redirect(home_for(user))


def _repeat_or_refuse(token: str, purpose: TokenPurpose, error: services.TokenInvalid):
    """A second post of the form that spent the link (a double click) signs in as the first did."""
    repeat = None
    if request.method == "POST" and isinstance(error, services.TokenUsed):
        repeat = services.repeated_use(token, purpose, submission_key=request.form.get("submission_key", ""),
                                       password=request.form.get("password", ""))
    if repeat is None:
        return _token_page(error)
    row, user = repeat
    sign_in(user)
    return _spent(row, user)


def _consultation_url(consultation) -> str:
    return url_for("consultations.show", slug=consultation.slug)


@bp.route("/auth/forgot", methods=["GET", "POST"])
@limit_reset_requests
def forgot_password():
    """Ask for a reset link; the answer is the same, and as quick, whether or not the email is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        asked = services.request_reset(form.email.data, issue_link=mail_configured())
        db.session.commit()
        if asked.issued:
            queue_reset_mail(asked)
        flash(FORGOT_ANSWER, "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form, mail=mail_configured())


def reset_link(issued: services.IssuedToken) -> str:
    return external_url("auth.reset_password", token=issued.token)


def queue_reset_mail(asked: services.ResetRequest):
    """Mail the reset link to the account's own address, in the background.

    An unknown email takes the same steps with an empty message, which the job does not send.
    """
    body = render_template("auth/mail/reset.txt", link=reset_link(asked.issued), token=asked.issued.row)
    return queue_mail(asked.email, "بازیابی گذرواژه در سامانه مشورت", body if asked.deliver else "")


@bp.route("/auth/reset/<token>", methods=["GET", "POST"])
@no_store
def reset_password(token: str):
    """Choose a new password with a single-use reset link."""
    try:
        reset = services.load_token(token, TokenPurpose.RESET, for_update=request.method == "POST")
    except services.TokenInvalid as error:
        return _repeat_or_refuse(token, TokenPurpose.RESET, error)
    form = ResetPasswordForm()
    if form.validate_on_submit() and (user := _set_password(form, lambda: services.reset_password(
            reset, form.password.data, submission_key=form.submission_key.data))):
        return _spent(reset, user)
    return render_template("auth/reset_password.html", form=form, reset=reset)
