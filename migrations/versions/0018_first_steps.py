"""first steps: the start page's dismissal, projects looking for partners (needs, wanted
areas) and requests to join them

Revision ID: 0018
Revises: 0017
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('project_join_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_project_join_requests_decided_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_join_requests_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_project_join_requests_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_join_requests'))
    )
    with op.batch_alter_table('project_join_requests', schema=None) as batch_op:
        batch_op.create_index('ix_project_join_requests_project_status', ['project_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_join_requests_user_id'), ['user_id'], unique=False)

    op.create_table('project_wanted_areas',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('area', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_wanted_areas_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'area', name=op.f('pk_project_wanted_areas'))
    )
    with op.batch_alter_table('project_wanted_areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_wanted_areas_area'), ['area'], unique=False)

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('looking_for_partners', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('partner_needs', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_projects_looking_for_partners'), ['looking_for_partners'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_dismissed_at', sa.DateTime(), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('start_dismissed_at')

    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_looking_for_partners'))
        batch_op.drop_column('partner_needs')
        batch_op.drop_column('looking_for_partners')

    with op.batch_alter_table('project_wanted_areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_wanted_areas_area'))

    op.drop_table('project_wanted_areas')
    with op.batch_alter_table('project_join_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_join_requests_user_id'))
        batch_op.drop_index('ix_project_join_requests_project_status')

    op.drop_table('project_join_requests')
