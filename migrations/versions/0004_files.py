"""files tables: content-addressed blobs, project files and their versions (files feature)

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('file_blobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mime', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_blobs')),
    sa.UniqueConstraint('sha256', name=op.f('uq_file_blobs_sha256'))
    )

    op.create_table('project_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('version_count', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_files_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_project_files_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_files'))
    )
    with op.batch_alter_table('project_files', schema=None) as batch_op:
        batch_op.create_index('ix_project_files_project_updated', ['project_id', 'updated_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_files_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    op.create_table('file_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('extracted_text', sa.Text(), nullable=True),
    sa.Column('thumbnail_blob_id', sa.Integer(), nullable=True),
    sa.Column('width', sa.Integer(), nullable=True),
    sa.Column('height', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['file_id'], ['project_files.id'], name=op.f('fk_file_versions_file_id_project_files'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blob_id'], ['file_blobs.id'], name=op.f('fk_file_versions_blob_id_file_blobs')),
    sa.ForeignKeyConstraint(['thumbnail_blob_id'], ['file_blobs.id'], name=op.f('fk_file_versions_thumbnail_blob_id_file_blobs')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_file_versions_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_file_versions')),
    sa.UniqueConstraint('file_id', 'number', name=op.f('uq_file_versions_file_id'))
    )
    with op.batch_alter_table('file_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_versions_blob_id'), ['blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_versions_thumbnail_blob_id'), ['thumbnail_blob_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_file_versions_uploaded_by_id'), ['uploaded_by_id'], unique=False)

    # project_files <-> file_versions point at each other: add this key once both exist.
    with op.batch_alter_table('project_files', schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f('fk_project_files_current_version_id_file_versions'),
            'file_versions', ['current_version_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('project_files', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_project_files_current_version_id_file_versions'), type_='foreignkey')
    with op.batch_alter_table('file_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_versions_uploaded_by_id'))
        batch_op.drop_index(batch_op.f('ix_file_versions_thumbnail_blob_id'))
        batch_op.drop_index(batch_op.f('ix_file_versions_blob_id'))
    op.drop_table('file_versions')
    with op.batch_alter_table('project_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_files_uploaded_by_id'))
        batch_op.drop_index('ix_project_files_project_updated')
    op.drop_table('project_files')
    op.drop_table('file_blobs')
