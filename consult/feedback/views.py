"""Views of the feedback feature."""
from consult.feedback import bp  # noqa: F401
