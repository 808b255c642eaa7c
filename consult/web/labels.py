"""Persian labels every template may use: roles, affiliations, round states, invitation statuses."""
from flask import Flask

from consult.auth.labels import AFFILIATION_LABELS, ROLE_LABELS
from consult.consultations.models import STATE_LABELS

STATUS_LABELS = {"pending": "در انتظار", "used": "پذیرفته‌شده", "expired": "منقضی"}


def register(app: Flask) -> None:
    @app.context_processor
    def labels():
        return {"role_labels": ROLE_LABELS, "affiliation_labels": AFFILIATION_LABELS, "status_labels": STATUS_LABELS,
                "state_labels": STATE_LABELS}
