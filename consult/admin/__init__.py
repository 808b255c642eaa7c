"""The admin area's home page."""
