"""Views of the admin feature."""
from consult.admin import bp  # noqa: F401
