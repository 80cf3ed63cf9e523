"""site pages: the footer's privacy notice, imprint and accessibility statement, per language

Revision ID: 0021
Revises: 0020
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('site_pages',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_site_pages_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('key', 'language', name=op.f('pk_site_pages'))
    )


def downgrade():
    op.drop_table('site_pages')
