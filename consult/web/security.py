"""Security headers on every response, set in one after_request hook."""
import secrets
from collections.abc import Callable

from flask import Flask, Response, current_app, request

# No inline script or style: templates use classes from app.css and static scripts. A script or
# <style> that must stay inline carries nonce="{{ csp_nonce() }}"; the nonce enters the policy only
# on pages that asked for one (htmx, if it comes, injects a <style>: includeIndicatorStyles: false).
# Bootstrap's CSS draws its icons (toggler, select, check) as data: SVG.
POLICY = (
    "default-src 'self'",
    "script-src 'self'{nonce}",
    "style-src 'self'{nonce}",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)

NONCE = "consult.csp_nonce"  # request.environ key: per request, unlike g when an app context is already pushed


def csp_nonce() -> str:
    """This request's nonce for an inline <script> or <style> (templates: csp_nonce())."""
    return request.environ.setdefault(NONCE, secrets.token_urlsafe(16))


def no_store(view: Callable) -> Callable:
    """Mark a view whose page shows or carries a one-time link: no cache, browser or proxy, keeps it.

    Put it directly under @bp.route, so the registered function carries the mark.
    """
    view.no_store = True
    return view


def content_security_policy() -> str:
    nonce = f" 'nonce-{request.environ[NONCE]}'" if NONCE in request.environ else ""
    return "; ".join(POLICY).format(nonce=nonce)


def set_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    # Error pages and CSRF re-renders of such an endpoint are covered too: the mark is on the endpoint.
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "no_store", False):
        response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    app.after_request(set_security_headers)
    app.add_template_global(csp_nonce)
