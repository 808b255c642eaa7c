"""Request lines in the server log without the secret tokens of invitation and reset links."""
import logging
import re

from flask import Flask

TOKEN_PATH = re.compile(r"(/auth/(?:invite|reset)/)[^\s/?#\"']+")
HIDDEN = "…"


def redact(text: str) -> str:
    return TOKEN_PATH.sub(rf"\g<1>{HIDDEN}", text)


class RedactTokens(logging.Filter):
    """Rewrites a record whose message carries a link token; also fits gunicorn's `gunicorn.access` logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is the logging module's to report
            return True
        hidden = redact(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def register(app: Flask) -> None:
    """Put the filter on the development server's request log (the werkzeug logger), once."""
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(existing, RedactTokens) for existing in logger.filters):
        logger.addFilter(RedactTokens())
