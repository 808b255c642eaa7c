"""Absolute links that are given out: in mail, or shown to an admin to pass on."""
from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:
    """The link on BASE_URL, never on the request's Host header (which a client chooses)."""
    base = current_app.config.get("BASE_URL")
    if not base:
        # Development and tests only (production refuses to start without BASE_URL); the request's
        # host has passed TRUSTED_HOSTS, which there holds only local names.
        return url_for(endpoint, _external=True, **values)
    return base + url_for(endpoint, **values)
