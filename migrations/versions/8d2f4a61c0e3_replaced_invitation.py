"""replaced invitation links

Revision ID: 8d2f4a61c0e3
Revises: e896f0ae5e06
Create Date: 2026-12-01 22:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2f4a61c0e3'
down_revision = 'e896f0ae5e06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('replaced_invitation',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('replaced_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_replaced_invitation_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_replaced_invitation'))
    )
    with op.batch_alter_table('replaced_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_replaced_invitation_consultation_id'), ['consultation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('replaced_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_replaced_invitation_consultation_id'))
    op.drop_table('replaced_invitation')
