"""chat tables: chat_messages and chat_read_markers

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "chat_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("client_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_chat_messages_author_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_chat_messages_project_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_messages")),
        sa.UniqueConstraint("project_id", "author_id", "client_id",
                            name="uq_chat_messages_project_author_client"),
        sa.UniqueConstraint("project_id", "seq", name="uq_chat_messages_project_seq"),
    )
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.create_index("ix_chat_messages_project_id_id", ["project_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_chat_messages_author_id"), ["author_id"], unique=False)

    op.create_table(
        "chat_read_markers",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("last_read_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_chat_read_markers_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_chat_read_markers_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "user_id", name=op.f("pk_chat_read_markers")),
    )
    with op.batch_alter_table("chat_read_markers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_read_markers_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("chat_read_markers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_read_markers_user_id"))
    op.drop_table("chat_read_markers")
    with op.batch_alter_table("chat_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_messages_author_id"))
        batch_op.drop_index("ix_chat_messages_project_id_id")
    op.drop_table("chat_messages")
