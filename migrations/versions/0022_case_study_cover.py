"""case study cover: an image among the project's files, with its alt text

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_studies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cover_file_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cover_alt', sa.String(length=300), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_case_studies_cover_file_id_project_files'),
                                    'project_files', ['cover_file_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('case_studies', schema=None) as batch_op:
        batch_op.alter_column('cover_alt', server_default=None)


def downgrade():
    with op.batch_alter_table('case_studies', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_studies_cover_file_id_project_files'),
                                 type_='foreignkey')
        batch_op.drop_column('cover_alt')
        batch_op.drop_column('cover_file_id')
