"""Finding plan items by code or by Persian words, whatever their spelling."""
import re

import sqlalchemy as sa

from consult.core.digits import latin_digits
from consult.extensions import db
from consult.nlp import search_key
from consult.plan.models import PlanItem

MAX_QUERY = 200
MAX_RESULTS = 50
_CODE = re.compile(r"^[0-9]+(?:[.\-][0-9]+)*$")


def query_words(query: str) -> list[str]:
    """The query's words folded like PlanItem.search_key; control characters dropped."""
    query = "".join(ch if ch.isprintable() or ch == "\u200c" else " " for ch in query[:MAX_QUERY])
    keys = (search_key(word) for word in query.split())
    return list(dict.fromkeys(key for key in keys if key))


def _as_code(word: str) -> str | None:
    latin = latin_digits(word).replace("٫", ".")
    return latin if _CODE.match(latin) else None


def contains_key(column, key: str):
    """SQL: the search-key column holds the folded word (a trigram index serves it on PostgreSQL)."""
    # ILIKE on PostgreSQL is served by the pg_trgm GIN index; keys are already lower-cased.
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    if db.session.get_bind().dialect.name == "postgresql":
        return column.ilike(pattern, escape="\\")
    return column.like(pattern, escape="\\")


def search_items(plan, query: str, limit: int = MAX_RESULTS) -> list[PlanItem]:
    """Items of the plan matching every word of the query (by code or by text), best first."""
    words = query_words(query)
    if not words:
        return []
    conditions = []
    codes = [code for code in map(_as_code, words) if code]
    for word in words:
        options = [contains_key(PlanItem.search_key, word)]
        code = _as_code(word)
        if code:
            options += [PlanItem.code == code, PlanItem.code.startswith(code + ".", autoescape=True)]
        conditions.append(sa.or_(*options))
    exact = sa.case((PlanItem.code.in_(codes), 0), else_=1) if codes else sa.literal(1)
    statement = (
        sa.select(PlanItem)
        .where(PlanItem.plan_id == plan.id, *conditions)
        .order_by(exact, PlanItem.position, PlanItem.id)
        .limit(limit)
    )
    return list(db.session.scalars(statement))
