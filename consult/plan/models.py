"""The strategic plan tree and the working groups that own parts of it."""
import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.core.db_types import enum_type
from consult.core.time import utcnow
from consult.extensions import db


class ItemKind(enum.StrEnum):
    GOAL = "goal"
    STRATEGY = "strategy"
    POLICY = "policy"
    PROJECT = "project"

    @property
    def depth(self) -> int:
        return list(ItemKind).index(self)

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    ItemKind.GOAL: "هدف",
    ItemKind.STRATEGY: "راهبرد",
    ItemKind.POLICY: "سیاست",
    ItemKind.PROJECT: "طرح",
}


class Plan(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    items: Mapped[list["PlanItem"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanItem.position"
    )


class PlanItem(db.Model):
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "code"),
        sa.CheckConstraint(
            "previous_progress IS NULL OR (previous_progress >= 0 AND previous_progress <= 100)",
            name="progress_percent",
        ),
        # Trigram search on PostgreSQL; a plain index elsewhere.
        sa.Index(
            "ix_plan_item_search_key_trgm",
            "search_key",
            postgresql_using="gin",
            postgresql_ops={"search_key": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("plan_item.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[ItemKind] = mapped_column(enum_type(ItemKind, "item_kind"))
    code: Mapped[str] = mapped_column(sa.String(50))
    title: Mapped[str] = mapped_column(sa.String(500))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    previous_progress: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    # Machine copies of title + description; people always see the text as written.
    text_normalized: Mapped[str] = mapped_column(sa.Text, default="")
    search_key: Mapped[str] = mapped_column(sa.Text, default="")
    normalizer_version: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="items")
    parent: Mapped["PlanItem | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["PlanItem"]] = relationship(
        back_populates="parent", order_by="PlanItem.position"
    )

    def ancestors(self) -> list["PlanItem"]:
        """Parents from the goal down, excluding self."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    def __repr__(self) -> str:
        return f"<PlanItem {self.code}>"


working_group_member = sa.Table(
    "working_group_member",
    db.metadata,
    sa.Column("working_group_id", sa.ForeignKey("working_group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)

working_group_item = sa.Table(
    "working_group_item",
    db.metadata,
    sa.Column("working_group_id", sa.ForeignKey("working_group.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("plan_item_id", sa.ForeignKey("plan_item.id", ondelete="CASCADE"), primary_key=True),
)


class WorkingGroup(db.Model):
    """A committee or working group; it owns the subtrees rooted at its items."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[Plan] = relationship()
    members: Mapped[list["User"]] = relationship(secondary=working_group_member)  # noqa: F821
    items: Mapped[list[PlanItem]] = relationship(secondary=working_group_item)

    __table_args__ = (sa.UniqueConstraint("plan_id", "name"),)
