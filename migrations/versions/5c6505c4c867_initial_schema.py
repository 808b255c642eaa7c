"""initial schema

Revision ID: 5c6505c4c867
Revises: 
Create Date: 2026-11-25 06:13:16.572195

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c6505c4c867'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        # Trigram indexes make Persian substring search fast on plan items and comments.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('slug', name=op.f('uq_plan_slug'))
    )
    op.create_table('user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('role', sa.Enum('expert', 'secretary', 'planner', 'admin', name='user_role'), nullable=False),
    sa.Column('affiliation', sa.Enum('seminary', 'academic', 'executive', 'secretariat', 'other', name='affiliation'), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user')),
    sa.UniqueConstraint('email', name=op.f('uq_user_email'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=100), nullable=False),
    sa.Column('object_type', sa.String(length=50), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_audit_event_actor_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_created_at'), ['created_at'], unique=False)

    op.create_table('consultation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('opens_at', sa.DateTime(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'open', 'closed', 'archived', name='consultation_state'), nullable=False),
    sa.Column('show_authors_in_exports', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('closes_at > opens_at', name=op.f('ck_consultation_closes_after_opens')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_consultation_plan_id_plan'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation')),
    sa.UniqueConstraint('slug', name=op.f('uq_consultation_slug'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_plan_id'), ['plan_id'], unique=False)

    op.create_table('plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('goal', 'strategy', 'policy', 'project', name='item_kind'), nullable=False),
    sa.Column('code', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('previous_progress', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('text_normalized', sa.Text(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('normalizer_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('previous_progress IS NULL OR (previous_progress >= 0 AND previous_progress <= 100)', name=op.f('ck_plan_item_progress_percent')),
    sa.ForeignKeyConstraint(['parent_id'], ['plan_item.id'], name=op.f('fk_plan_item_parent_id_plan_item'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_plan_item_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_item')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_plan_item_plan_id_code'))
    )
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_item_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_item_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index('ix_plan_item_search_key_trgm', ['search_key'], unique=False, postgresql_using='gin', postgresql_ops={'search_key': 'gin_trgm_ops'})

    op.create_table('working_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_working_group_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_group')),
    sa.UniqueConstraint('plan_id', 'name', name=op.f('uq_working_group_plan_id_name'))
    )
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_group_plan_id'), ['plan_id'], unique=False)

    op.create_table('access_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('invite', 'reset', name='token_purpose'), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.Enum('expert', 'secretary', 'planner', 'admin', name='user_role'), nullable=False),
    sa.Column('affiliation', sa.Enum('seminary', 'academic', 'executive', 'secretariat', 'other', name='affiliation'), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_access_token_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_access_token_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_access_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_access_token_token_hash'))
    )
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_token_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_access_token_email'), ['email'], unique=False)

    op.create_table('cluster_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('state', sa.Enum('queued', 'running', 'done', 'failed', name='run_state'), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_cluster_run_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_cluster_run_requested_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster_run'))
    )
    with op.batch_alter_table('cluster_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_run_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index('uq_cluster_run_active', ['consultation_id', 'scope'], unique=True, sqlite_where=sa.text("state IN ('queued', 'running')"), postgresql_where=sa.text("state IN ('queued', 'running')"))

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('stance', sa.Enum('agree', 'disagree', 'amend', name='stance'), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_normalized', sa.Text(), nullable=False),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('normalizer_version', sa.Integer(), nullable=False),
    sa.Column('amendment', sa.Text(), nullable=False),
    sa.Column('diagnosis', sa.Text(), nullable=False),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('is_deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_comment_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_comment_item_id_plan_item'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_comment_submission_key'))
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_comment_search_key_trgm', ['search_key'], unique=False, postgresql_using='gin', postgresql_ops={'search_key': 'gin_trgm_ops'})
        batch_op.create_index('uq_comment_one_per_item', ['consultation_id', 'author_id', 'item_id'], unique=True, sqlite_where=sa.text('item_id IS NOT NULL'), postgresql_where=sa.text('item_id IS NOT NULL'))

    op.create_table('criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=50), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_criterion_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion')),
    sa.UniqueConstraint('consultation_id', 'slug', name=op.f('uq_criterion_consultation_id_slug'))
    )
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('expert', 'secretary', 'planner', name='participant_role'), nullable=False),
    sa.Column('joined_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_participant_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_participant_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('consultation_id', 'user_id', name=op.f('uq_participant_consultation_id_user_id'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_user_id'), ['user_id'], unique=False)

    op.create_table('questionnaire',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_questionnaire_consultation_id_consultation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire'))
    )
    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('working_group_item',
    sa.Column('working_group_id', sa.Integer(), nullable=False),
    sa.Column('plan_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_item_id'], ['plan_item.id'], name=op.f('fk_working_group_item_plan_item_id_plan_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['working_group_id'], ['working_group.id'], name=op.f('fk_working_group_item_working_group_id_working_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('working_group_id', 'plan_item_id', name=op.f('pk_working_group_item'))
    )
    op.create_table('working_group_member',
    sa.Column('working_group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_working_group_member_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['working_group_id'], ['working_group.id'], name=op.f('fk_working_group_member_working_group_id_working_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('working_group_id', 'user_id', name=op.f('pk_working_group_member'))
    )
    op.create_table('comment_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('author', 'suggested', 'confirmed', 'rejected', name='link_source'), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_link_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_comment_link_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['plan_item.id'], name=op.f('fk_comment_link_item_id_plan_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['cluster_run.id'], name=op.f('fk_comment_link_run_id_cluster_run'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_link')),
    sa.UniqueConstraint('comment_id', 'item_id', name=op.f('uq_comment_link_comment_id_item_id'))
    )
    with op.batch_alter_table('comment_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_link_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comment_link_item_id'), ['item_id'], unique=False)

    op.create_table('comment_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('stance', sa.Enum('agree', 'disagree', 'amend', name='stance'), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('amendment', sa.Text(), nullable=False),
    sa.Column('diagnosis', sa.Text(), nullable=False),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_comment_revision_comment_id_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment_revision'))
    )
    with op.batch_alter_table('comment_revision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_revision_comment_id'), ['comment_id'], unique=False)

    op.create_table('duplicate_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_duplicate_group_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['cluster_run.id'], name=op.f('fk_duplicate_group_run_id_cluster_run'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_group'))
    )
    with op.batch_alter_table('duplicate_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_group_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('questionnaire_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('single', 'multiple', 'likert', 'short_text', 'long_text', name='question_kind'), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('help_text', sa.Text(), nullable=False),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['questionnaire.id'], name=op.f('fk_question_questionnaire_id_questionnaire'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_questionnaire_id'), ['questionnaire_id'], unique=False)

    op.create_table('rating',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_rating_score_range')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_rating_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_rating_criterion_id_criterion'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rating')),
    sa.UniqueConstraint('comment_id', 'criterion_id', name=op.f('uq_rating_comment_id_criterion_id'))
    )
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rating_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rating_criterion_id'), ['criterion_id'], unique=False)

    op.create_table('topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consultation_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('machine_label', sa.String(length=300), nullable=False),
    sa.Column('keywords', sa.JSON(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('is_noise', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.Enum('run', 'secretary', name='topic_origin'), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultation_id'], ['consultation.id'], name=op.f('fk_topic_consultation_id_consultation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_topic_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['topic.id'], name=op.f('fk_topic_merged_into_id_topic'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['cluster_run.id'], name=op.f('fk_topic_run_id_cluster_run'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic'))
    )
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_consultation_id'), ['consultation_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_answer_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_answer_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('question_id', 'user_id', name=op.f('uq_answer_question_id_user_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_user_id'), ['user_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('secretary_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('accepted', 'partly', 'rejected', 'noted', name='decision_outcome'), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(comment_id IS NULL) <> (topic_id IS NULL)', name=op.f('ck_decision_comment_xor_topic')),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_decision_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['secretary_id'], ['user.id'], name=op.f('fk_decision_secretary_id_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_decision_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_topic_id'), ['topic_id'], unique=False)

    op.create_table('duplicate_group_member',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_duplicate_group_member_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['duplicate_group.id'], name=op.f('fk_duplicate_group_member_group_id_duplicate_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'comment_id', name=op.f('pk_duplicate_group_member'))
    )
    op.create_table('topic_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('machine', 'manual', name='membership_source'), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('is_representative', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_topic_membership_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['cluster_run.id'], name=op.f('fk_topic_membership_run_id_cluster_run'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_topic_membership_topic_id_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_membership')),
    sa.UniqueConstraint('comment_id', 'topic_id', name=op.f('uq_topic_membership_comment_id_topic_id'))
    )
    with op.batch_alter_table('topic_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_membership_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_topic_membership_topic_id'), ['topic_id'], unique=False)



def downgrade():
    with op.batch_alter_table('topic_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_membership_topic_id'))
        batch_op.drop_index(batch_op.f('ix_topic_membership_comment_id'))

    op.drop_table('topic_membership')
    op.drop_table('duplicate_group_member')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_topic_id'))
        batch_op.drop_index(batch_op.f('ix_decision_comment_id'))

    op.drop_table('decision')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_user_id'))
        batch_op.drop_index(batch_op.f('ix_answer_question_id'))

    op.drop_table('answer')
    with op.batch_alter_table('topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_consultation_id'))

    op.drop_table('topic')
    with op.batch_alter_table('rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rating_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_rating_comment_id'))

    op.drop_table('rating')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_questionnaire_id'))

    op.drop_table('question')
    with op.batch_alter_table('duplicate_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_group_consultation_id'))

    op.drop_table('duplicate_group')
    with op.batch_alter_table('comment_revision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_revision_comment_id'))

    op.drop_table('comment_revision')
    with op.batch_alter_table('comment_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comment_link_item_id'))
        batch_op.drop_index(batch_op.f('ix_comment_link_comment_id'))

    op.drop_table('comment_link')
    op.drop_table('working_group_member')
    op.drop_table('working_group_item')
    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_consultation_id'))

    op.drop_table('questionnaire')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_user_id'))
        batch_op.drop_index(batch_op.f('ix_participant_consultation_id'))

    op.drop_table('participant')
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_consultation_id'))

    op.drop_table('criterion')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('uq_comment_one_per_item', sqlite_where=sa.text('item_id IS NOT NULL'), postgresql_where=sa.text('item_id IS NOT NULL'))
        batch_op.drop_index('ix_comment_search_key_trgm', postgresql_using='gin', postgresql_ops={'search_key': 'gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_comment_item_id'))
        batch_op.drop_index(batch_op.f('ix_comment_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_comment_author_id'))

    op.drop_table('comment')
    with op.batch_alter_table('cluster_run', schema=None) as batch_op:
        batch_op.drop_index('uq_cluster_run_active', sqlite_where=sa.text("state IN ('queued', 'running')"), postgresql_where=sa.text("state IN ('queued', 'running')"))
        batch_op.drop_index(batch_op.f('ix_cluster_run_consultation_id'))

    op.drop_table('cluster_run')
    with op.batch_alter_table('access_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_token_email'))
        batch_op.drop_index(batch_op.f('ix_access_token_consultation_id'))

    op.drop_table('access_token')
    with op.batch_alter_table('working_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_group_plan_id'))

    op.drop_table('working_group')
    with op.batch_alter_table('plan_item', schema=None) as batch_op:
        batch_op.drop_index('ix_plan_item_search_key_trgm', postgresql_using='gin', postgresql_ops={'search_key': 'gin_trgm_ops'})
        batch_op.drop_index(batch_op.f('ix_plan_item_plan_id'))
        batch_op.drop_index(batch_op.f('ix_plan_item_parent_id'))

    op.drop_table('plan_item')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_plan_id'))

    op.drop_table('consultation')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_created_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
    op.drop_table('user')
    op.drop_table('plan')
    if op.get_bind().dialect.name == "postgresql":
        for name in ENUM_TYPES:
            op.execute(f"DROP TYPE IF EXISTS {name}")


ENUM_TYPES = (
    "user_role", "affiliation", "consultation_state", "item_kind", "token_purpose", "run_state",
    "stance", "participant_role", "link_source", "question_kind", "topic_origin",
    "decision_outcome", "membership_source",
)
