"""What a searchable, paged list reads from the query string."""
from flask import request

from consult.core.pages import MAX_QUERY


def search_args() -> tuple[str, int]:
    query = request.args.get("q", "")[:MAX_QUERY]
    return query, request.args.get("page", 1, type=int)
