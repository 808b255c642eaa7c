"""form submission: one-time keys of create forms

Revision ID: 3c7e9a2b5d14
Revises: 8f2d41c7a9e3
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c7e9a2b5d14'
down_revision = '8f2d41c7a9e3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'form_submission',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=50), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_form_submission')),
    )


def downgrade():
    op.drop_table('form_submission')
