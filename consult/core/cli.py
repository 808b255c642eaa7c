"""What every command does with bad input: one line on stderr and exit status 2, never a traceback."""
import sys
from collections.abc import Callable
from functools import wraps

import click

from consult.core.errors import ConsultError
from consult.extensions import db


def fail(message: str) -> None:
    """Print one line to stderr and exit with status 2."""
    click.echo(message, err=True)
    sys.exit(2)


def one_line_errors(command: Callable) -> Callable:
    """Turn domain errors into one line and exit 2, never a traceback."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ConsultError as error:
            db.session.rollback()
            fail(f"error: {error.message}")

    return wrapped
