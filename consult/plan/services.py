"""Reading the plan tree."""
from dataclasses import dataclass, field

import sqlalchemy as sa

from consult.extensions import db
from consult.plan.models import Plan, PlanItem


@dataclass
class Node:
    item: PlanItem
    children: list["Node"] = field(default_factory=list)
    tally: object = None  # the item's comment counts (own and with its subtree), when given


def plan_tree(plan: Plan, tallies: dict | None = None) -> list[Node]:
    """The plan as nested nodes in position order, each with its comment tally from `tallies`."""
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.plan_id == plan.id).order_by(PlanItem.position, PlanItem.id)
    ).all()
    tallies = tallies or {}
    nodes = {item.id: Node(item, tally=tallies.get(item.id)) for item in items}
    roots = []
    for item in items:
        node = nodes[item.id]
        (nodes[item.parent_id].children if item.parent_id in nodes else roots).append(node)
    return roots
