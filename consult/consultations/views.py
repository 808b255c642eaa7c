"""Views of the consultations feature."""
from consult.consultations import bp  # noqa: F401
