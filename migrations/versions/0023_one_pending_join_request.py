"""one pending request to join per person and project: a partial unique index, so two requests
sent at the same moment cannot both wait for an answer

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    # requests sent twice before this index existed: keep the oldest pending one
    op.execute(
        "DELETE FROM project_join_requests WHERE status = 'pending' AND id NOT IN ("
        " SELECT MIN(id) FROM project_join_requests WHERE status = 'pending'"
        " GROUP BY project_id, user_id)")
    op.create_index('uq_project_join_requests_pending', 'project_join_requests',
                    ['project_id', 'user_id'], unique=True,
                    postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade():
    op.drop_index('uq_project_join_requests_pending', table_name='project_join_requests')
