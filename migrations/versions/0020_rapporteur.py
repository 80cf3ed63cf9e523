"""rapporteur: one evaluator per application, named by the manager, writes its consensus

Revision ID: 0020
Revises: 0019
"""
import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    # existing assignments have no rapporteur: filled by a default, then the default dropped
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rapporteur', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.alter_column('rapporteur', server_default=None)


def downgrade():
    with op.batch_alter_table('evaluation_assignments', schema=None) as batch_op:
        batch_op.drop_column('rapporteur')
