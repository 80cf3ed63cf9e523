"""evaluation: evaluators per call, declared conflicts, assignments, scores per criterion,
consensus, the call's evaluation settings, selection choices by hand, published decisions

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('call_evaluators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_evaluators_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_call_evaluators_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_call_evaluators_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_evaluators')),
    sa.UniqueConstraint('call_id', 'email', name='uq_call_evaluators_email')
    )
    with op.batch_alter_table('call_evaluators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_evaluators_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_evaluators_user_id'), ['user_id'], unique=False)

    op.create_table('evaluation_settings',
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('same_country_conflict', sa.Boolean(), nullable=False),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_evaluation_settings_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('call_id', name=op.f('pk_evaluation_settings'))
    )
    op.create_table('evaluation_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evaluation_assignments_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_evaluation_assignments_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['call_evaluators.id'], name=op.f('fk_evaluation_assignments_evaluator_id_call_evaluators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_assignments')),
    sa.UniqueConstraint('application_id', 'evaluator_id', name='uq_evaluation_assignments_pair')
    )
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_assignments_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_assignments_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_assignments_evaluator_id'), ['evaluator_id'], unique=False)

    op.create_table('evaluation_consensus',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evaluation_consensus_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_evaluation_consensus_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_evaluation_consensus'))
    )
    op.create_table('evaluator_conflicts',
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_evaluator_conflicts_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['call_evaluators.id'], name=op.f('fk_evaluator_conflicts_evaluator_id_call_evaluators'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evaluator_id', 'application_id', name=op.f('pk_evaluator_conflicts'))
    )
    with op.batch_alter_table('evaluator_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_conflicts_application_id'), ['application_id'], unique=False)

    op.create_table('selection_choices',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('include', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_selection_choices_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_selection_choices_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_selection_choices_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_selection_choices'))
    )
    with op.batch_alter_table('selection_choices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selection_choices_call_id'), ['call_id'], unique=False)

    op.create_table('selection_decisions',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('selected', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_selection_decisions_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_selection_decisions_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_selection_decisions_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('application_id', name=op.f('pk_selection_decisions'))
    )
    with op.batch_alter_table('selection_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_selection_decisions_call_id'), ['call_id'], unique=False)

    op.create_table('evaluation_scores',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['evaluation_assignments.id'], name=op.f('fk_evaluation_scores_assignment_id_evaluation_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['criterion_id'], ['call_criteria.id'], name=op.f('fk_evaluation_scores_criterion_id_call_criteria'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('assignment_id', 'criterion_id', name=op.f('pk_evaluation_scores'))
    )


def downgrade():
    op.drop_table('evaluation_scores')
    with op.batch_alter_table('selection_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selection_decisions_call_id'))

    op.drop_table('selection_decisions')
    with op.batch_alter_table('selection_choices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_selection_choices_call_id'))

    op.drop_table('selection_choices')
    with op.batch_alter_table('evaluator_conflicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_conflicts_application_id'))

    op.drop_table('evaluator_conflicts')
    op.drop_table('evaluation_consensus')
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_assignments_evaluator_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_assignments_call_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_assignments_application_id'))

    op.drop_table('evaluation_assignments')
    op.drop_table('evaluation_settings')
    with op.batch_alter_table('call_evaluators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_evaluators_user_id'))
        batch_op.drop_index(batch_op.f('ix_call_evaluators_call_id'))

    op.drop_table('call_evaluators')
