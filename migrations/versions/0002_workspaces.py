"""workspaces tables: project status history and invitation links

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "project_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("old_status", sa.String(length=20), nullable=False),
        sa.Column("new_status", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_project_status_changes_actor_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_project_status_changes_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_status_changes")),
    )
    with op.batch_alter_table("project_status_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_status_changes_project_id"), ["project_id"],
                              unique=False)

    op.create_table(
        "project_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["accepted_by_id"], ["users.id"],
                                name=op.f("fk_project_invitations_accepted_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_project_invitations_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_project_invitations_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_invitations")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_project_invitations_token_hash")),
    )
    with op.batch_alter_table("project_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_invitations_project_id"), ["project_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("project_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_invitations_project_id"))
    op.drop_table("project_invitations")
    with op.batch_alter_table("project_status_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_status_changes_project_id"))
    op.drop_table("project_status_changes")
