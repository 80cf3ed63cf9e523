"""applications: drafts, revisions, co-applicants, partners, attachments, submitted versions,
the call log; calls get selection rules, declarations and criterion keys

Revision ID: 0012
Revises: 0011
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('lead_organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('areas', sa.JSON(), nullable=False),
    sa.Column('requested_eur', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_version', sa.Integer(), nullable=True),
    sa.Column('eligible', sa.Boolean(), nullable=True),
    sa.Column('eligibility', sa.JSON(), nullable=False),
    sa.Column('eligibility_override', sa.Boolean(), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=False),
    sa.Column('consensus_score', sa.Float(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_applications_call_id_calls'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lead_organisation_id'], ['organisations.id'], name=op.f('fk_applications_lead_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_applications_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('call_id', 'ref', name='uq_applications_call_ref')
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_call_status', ['call_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_lead_organisation_id'), ['lead_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_owner_id'), ['owner_id'], unique=False)

    op.create_table('application_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('blob_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_attachments_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['blob_id'], ['file_blobs.id'], name=op.f('fk_application_attachments_blob_id_file_blobs'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_application_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_attachments'))
    )
    with op.batch_alter_table('application_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_attachments_application_id'), ['application_id'], unique=False)

    op.create_table('application_members',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_members_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_application_members_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_application_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('application_id', 'email', name=op.f('pk_application_members'))
    )
    with op.batch_alter_table('application_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_members_user_id'), ['user_id'], unique=False)

    op.create_table('application_partners',
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_partners_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_application_partners_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('application_id', 'organisation_id', name=op.f('pk_application_partners'))
    )
    with op.batch_alter_table('application_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_partners_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('application_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_revisions_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_application_revisions_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_revisions')),
    sa.UniqueConstraint('application_id', 'number', name='uq_application_revisions_number')
    )
    op.create_table('application_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('canonical_json', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_versions_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_application_versions_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_versions')),
    sa.UniqueConstraint('application_id', 'number', name='uq_application_versions_number')
    )
    with op.batch_alter_table('application_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_versions_application_id'), ['application_id'], unique=False)

    op.create_table('call_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_call_log_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_call_log_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], name=op.f('fk_call_log_call_id_calls'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_log'))
    )
    with op.batch_alter_table('call_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_log_call_id'), ['call_id'], unique=False)

    with op.batch_alter_table('call_criteria', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=40), nullable=False,
                                      server_default=''))
    bind = op.get_bind()
    for criterion_id, title in bind.execute(sa.text('SELECT id, title FROM call_criteria')):
        key = re.sub(r'[^a-z0-9]+', '-', title.lower()).strip('-')[:40] or f'c{criterion_id}'
        bind.execute(sa.text('UPDATE call_criteria SET key = :key WHERE id = :id'),
                     {'key': key, 'id': criterion_id})

    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_per_country', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('min_small_share', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('applications_per_lead', sa.Integer(), nullable=False,
                                      server_default='1'))
        batch_op.add_column(sa.Column('declarations', sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))



def downgrade():
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.drop_column('declarations')
        batch_op.drop_column('applications_per_lead')
        batch_op.drop_column('min_small_share')
        batch_op.drop_column('max_per_country')

    with op.batch_alter_table('call_criteria', schema=None) as batch_op:
        batch_op.drop_column('key')

    with op.batch_alter_table('call_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_log_call_id'))

    op.drop_table('call_log')
    with op.batch_alter_table('application_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_versions_application_id'))

    op.drop_table('application_versions')
    op.drop_table('application_revisions')
    with op.batch_alter_table('application_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_partners_organisation_id'))

    op.drop_table('application_partners')
    with op.batch_alter_table('application_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_members_user_id'))

    op.drop_table('application_members')
    with op.batch_alter_table('application_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_attachments_application_id'))

    op.drop_table('application_attachments')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_owner_id'))
        batch_op.drop_index(batch_op.f('ix_applications_lead_organisation_id'))
        batch_op.drop_index('ix_applications_call_status')

    op.drop_table('applications')
