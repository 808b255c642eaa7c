"""Views of the export feature."""
from consult.export import bp  # noqa: F401
