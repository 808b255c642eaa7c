"""clustering runs: the stored model, counts, the "other" topic and the "new since the last run" marker

Revision ID: b7e3c9a1d2f4
Revises: 3b7e9c1d5a20
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c9a1d2f4'
down_revision = '3b7e9c1d5a20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cluster_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('model_path', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('topic_count', sa.Integer(), nullable=True))
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_other', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('topic_membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_new', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('topic_membership', schema=None) as batch_op:
        batch_op.drop_column('is_new')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_column('is_other')
    with op.batch_alter_table('cluster_run', schema=None) as batch_op:
        batch_op.drop_column('topic_count')
        batch_op.drop_column('comment_count')
        batch_op.drop_column('model_path')
