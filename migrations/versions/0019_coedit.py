"""coedit: the append-only CRDT updates of documents, their compacted state, revision
co-authors

Revision ID: 0019
Revises: 0018
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_crdt_states',
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.LargeBinary(), nullable=False),
    sa.Column('snapshot_update_id', sa.Integer(), nullable=False),
    sa.Column('revision_update_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_crdt_states_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_document_crdt_states'))
    )
    op.create_table('document_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_updates_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_document_updates_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_updates')),
    sqlite_autoincrement=True  # ids never reused after compaction: catch-up reads "after id N"
    )
    with op.batch_alter_table('document_updates', schema=None) as batch_op:
        batch_op.create_index('ix_document_updates_document_id_id', ['document_id', 'id'], unique=False)

    op.create_table('document_revision_authors',
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['revision_id'], ['document_revisions.id'], name=op.f('fk_document_revision_authors_revision_id_document_revisions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_document_revision_authors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('revision_id', 'user_id', name=op.f('pk_document_revision_authors'))
    )
    with op.batch_alter_table('document_revision_authors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_revision_authors_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('document_revision_authors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_revision_authors_user_id'))

    op.drop_table('document_revision_authors')
    with op.batch_alter_table('document_updates', schema=None) as batch_op:
        batch_op.drop_index('ix_document_updates_document_id_id')

    op.drop_table('document_updates')
    op.drop_table('document_crdt_states')
