"""job table: one row for every piece of background work

Revision ID: b3a9a5c0e929
Revises: b7e3c9a1d2f4
Create Date: 2026-12-01 23:37:57.774287

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3a9a5c0e929'
down_revision = 'b7e3c9a1d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('queue', sa.String(length=20), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='job_state'), nullable=False),
    sa.Column('progress', sa.SmallInteger(), nullable=False),
    sa.Column('function', sa.String(length=200), nullable=False),
    sa.Column('arguments', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_job_requested_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_job_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index('ix_job_state_kind', ['state', 'kind'], unique=False)



def downgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_index('ix_job_state_kind')
        batch_op.drop_index(batch_op.f('ix_job_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_job_created_at'))

    op.drop_table('job')
    sa.Enum(name='job_state').drop(op.get_bind(), checkfirst=True)  # PostgreSQL's native type
