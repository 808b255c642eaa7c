"""Command-line groups: `flask --app run plan|feedback|demo|nlp ...`."""
import sys
from collections.abc import Callable
from functools import wraps

import click
from flask import Flask

from consult.core.errors import ConsultError


def fail(message: str) -> None:
    """Print one line to stderr and exit with status 2."""
    click.echo(message, err=True)
    sys.exit(2)


def one_line_errors(command: Callable) -> Callable:
    """Turn domain errors into one line and exit 2, never a traceback."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        from consult.extensions import db

        try:
            return command(*args, **kwargs)
        except ConsultError as error:
            db.session.rollback()
            fail(f"error: {error.message}")

    return wrapped


def register(app: Flask) -> None:
    from consult.demo.cli import demo_group
    from consult.feedback.cli import feedback_group
    from consult.nlp_cli import nlp_group
    from consult.plan.cli import plan_group

    for group in (plan_group, feedback_group, demo_group, nlp_group):
        app.cli.add_command(group)
