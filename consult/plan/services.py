"""Reading the plan tree."""
from dataclasses import dataclass, field

import sqlalchemy as sa

from consult.extensions import db
from consult.plan.models import Plan, PlanItem


@dataclass
class Node:
    item: PlanItem
    children: list["Node"] = field(default_factory=list)
    own_comments: int = 0
    comments: int = 0  # rolled up over the subtree


def plan_tree(plan: Plan, comment_counts: dict[int, int] | None = None) -> list[Node]:
    """The plan as nested nodes in position order, with comment counts rolled up the tree."""
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.plan_id == plan.id).order_by(PlanItem.position, PlanItem.id)
    ).all()
    counts = comment_counts or {}
    nodes = {item.id: Node(item, own_comments=counts.get(item.id, 0)) for item in items}
    roots = []
    for item in items:
        node = nodes[item.id]
        (nodes[item.parent_id].children if item.parent_id in nodes else roots).append(node)

    def roll_up(node: Node) -> int:
        node.comments = node.own_comments + sum(roll_up(child) for child in node.children)
        return node.comments

    for root in roots:
        roll_up(root)
    return roots


def subtree_ids(item: PlanItem) -> list[int]:
    """The ids of the item and of everything below it, in one recursive query."""
    below = sa.select(PlanItem.id).where(PlanItem.id == item.id).cte("below", recursive=True)
    below = below.union_all(sa.select(PlanItem.id).join(below, PlanItem.parent_id == below.c.id))
    return list(db.session.scalars(sa.select(below.c.id)))
