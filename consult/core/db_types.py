"""Column types shared by the feature models."""
import enum

import sqlalchemy as sa


def enum_type(enum_class: type[enum.Enum], name: str) -> sa.Enum:
    """A named enum storing member values (native on PostgreSQL, CHECK-free VARCHAR on SQLite)."""
    return sa.Enum(
        enum_class,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        create_constraint=False,
    )
