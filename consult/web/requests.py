"""What the database layer may ask of the current request."""
from flask import has_request_context, request

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def is_page_view() -> bool:
    """A GET, HEAD or OPTIONS request only reads; a form post may read, then write."""
    return has_request_context() and request.method in READ_METHODS
