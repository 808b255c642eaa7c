"""Views of the export feature."""
from consult.export.blueprint import bp  # noqa: F401
