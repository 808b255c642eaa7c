"""Views of the review feature."""
from consult.review import bp  # noqa: F401
