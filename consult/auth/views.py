"""Views of the auth feature."""
from consult.auth import bp  # noqa: F401
