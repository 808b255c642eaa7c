"""consultation: one author-name setting for screens and exports; secretaries in the general scope

Revision ID: 3b7e9c1d5a20
Revises: 3c7e9a2b5d14
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3b7e9c1d5a20'
down_revision = '3c7e9a2b5d14'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.alter_column('show_authors_in_exports', new_column_name='show_author_names',
                              existing_type=sa.Boolean(), existing_nullable=False)
        batch_op.add_column(sa.Column('secretaries_act_in_general', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_column('secretaries_act_in_general')
        batch_op.alter_column('show_author_names', new_column_name='show_authors_in_exports',
                              existing_type=sa.Boolean(), existing_nullable=False)
