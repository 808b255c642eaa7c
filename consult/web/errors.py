"""Persian error pages, and re-rendering a form whose CSRF token expired."""
import logging
import math
from collections.abc import Callable

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from consult.extensions import db
from consult.web.limits import retry_message, seconds_to_wait

log = logging.getLogger(__name__)


TITLES = {
    400: "درخواست نامعتبر",
    403: "دسترسی مجاز نیست",
    404: "صفحه پیدا نشد",
    405: "روش درخواست مجاز نیست",
    413: "حجم درخواست بیش از حد مجاز است",
    429: "تعداد تلاش‌ها بیش از حد مجاز است",
    500: "خطای داخلی سامانه",
}

MESSAGES = {
    400: "درخواست ارسال‌شده قابل پردازش نبود.",
    403: "شما اجازه دیدن این صفحه را ندارید.",
    404: "نشانی واردشده در سامانه وجود ندارد.",
    405: "این نشانی با این روش قابل استفاده نیست.",
    413: "پرونده یا متن ارسالی بزرگ‌تر از حد مجاز است.",
    429: "لطفاً کمی بعد دوباره تلاش کنید.",
    500: "مشکلی پیش آمد و ثبت شد. لطفاً دوباره تلاش کنید.",
}


def render_error(code: int, message: str | None = None):
    """The Persian error page for an HTTP status."""
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=TITLES.get(code, "خطا"),
            message=message or MESSAGES.get(code, ""),
        ),
        code,
    )


# endpoint -> function(**view_args) that re-renders the posted form after a CSRF failure
CSRF_RERENDER: dict[str, Callable] = {}
CSRF_EXPIRED_MESSAGE = "این صفحه منقضی شده بود. لطفاً صفحه را دوباره باز کنید و دوباره بفرستید."


def rerender_on_csrf_error(endpoint: str):
    """Register how to show `endpoint`'s form again, filled from request.form, when its token fails."""

    def decorator(func: Callable) -> Callable:
        CSRF_RERENDER[endpoint] = func
        return func

    return decorator


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def handle_csrf(error: CSRFError):
        # CSRFProtect answers before the view runs; the posted text must not be lost.
        log.info("csrf refused on %s %s: %s", request.method, request.endpoint, error.description)
        rerender = CSRF_RERENDER.get(request.endpoint or "")
        if rerender is not None:
            return rerender(**(request.view_args or {}))
        return render_error(400, CSRF_EXPIRED_MESSAGE)

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException):
        if isinstance(error, SecurityError):
            # A host outside TRUSTED_HOSTS: Flask builds no URLs for it, so the page layout cannot render.
            return MESSAGES[400], 400, {"Content-Type": "text/plain; charset=utf-8"}
        if error.code == 429:
            page, code = render_error(429, _retry_message(error))
            return page, code, {"Retry-After": str(max(1, math.ceil(seconds_to_wait())))}
        return render_error(error.code or 500)

    @app.errorhandler(500)
    def handle_500(error):
        db.session.rollback()
        # The endpoint, not the path: invitation and reset paths carry secret tokens.
        log.exception("unhandled error on %s %s", request.method, request.endpoint)
        return render_error(500)


def _retry_message(error: HTTPException) -> str:
    return retry_message(error)
