"""Views of the review feature."""
from consult.review.blueprint import bp  # noqa: F401
