"""Views of the plan feature."""
from consult.plan import bp  # noqa: F401
