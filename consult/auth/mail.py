"""Outgoing mail over SMTP when MAIL_SERVER is set; otherwise nothing is sent.

Views call queue_mail after their commit, so a slow or absent server never holds up a request
and a message never announces a row that was rolled back.
"""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

from consult.core import jobs

log = logging.getLogger(__name__)


def mail_configured() -> bool:
    """Whether an SMTP server is configured."""
    return bool(current_app.config.get("MAIL_SERVER"))


def queue_mail(to: str, subject: str, body: str):
    """Send the message in the background (consult.core.jobs); call only after the commit."""
    return jobs.enqueue("consult.auth.mail.send_mail", to, subject, body)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; False when mail is not configured, the message is empty or the server refused it."""
    if not mail_configured() or not body:  # an empty body stands in for a reset asked for an unknown email
        return False
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=15) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # The link is never lost: an admin can issue it again from the admin area.
        log.warning("mail to %s failed: %s", to, error)
        return False
    log.info("mail sent to %s: %s", to, subject)
    return True
