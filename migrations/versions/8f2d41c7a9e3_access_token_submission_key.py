"""access token: key of the form that spent it

Revision ID: 8f2d41c7a9e3
Revises: 8d2f4a61c0e3
Create Date: 2026-12-01 23:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8f2d41c7a9e3'
down_revision = '8d2f4a61c0e3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submission_key', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.drop_column('submission_key')
