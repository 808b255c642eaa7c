"""One page of a long list, for any screen that pages."""
import math
from dataclasses import dataclass

PER_PAGE = 25


MAX_QUERY = 200


@dataclass
class Page:
    """One page of a list: its rows, how many matched in all, and which page of how many."""

    rows: list
    total: int
    number: int
    pages: int


def paginate(rows: list, number: int, per_page: int = PER_PAGE) -> Page:
    pages = max(1, math.ceil(len(rows) / per_page))
    number = min(max(1, number), pages)
    return Page(rows[(number - 1) * per_page:number * per_page], len(rows), number, pages)
