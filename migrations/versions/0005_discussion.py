"""discussion tables (threads, posts, edits, read marks, subscriptions) and notifications

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "discussion_threads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("pinned", sa.Boolean(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("resolved_post_id", sa.Integer(), nullable=True),
        sa.Column("reply_count", sa.Integer(), nullable=False),
        sa.Column("last_post_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_activity_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_discussion_threads_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_discussion_threads_project_id_projects"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_threads")),
    )
    with op.batch_alter_table("discussion_threads") as batch_op:
        batch_op.create_index(op.f("ix_discussion_threads_author_id"), ["author_id"])
        batch_op.create_index("ix_discussion_threads_project_activity",
                              ["project_id", "pinned", "last_activity_at"])

    op.create_table(
        "discussion_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("edited_at", sa.DateTime(), nullable=True),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_discussion_posts_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["parent_id"], ["discussion_posts.id"],
                                name=op.f("fk_discussion_posts_parent_id_discussion_posts"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["thread_id"], ["discussion_threads.id"],
                                name=op.f("fk_discussion_posts_thread_id_discussion_threads"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_posts")),
    )
    with op.batch_alter_table("discussion_posts") as batch_op:
        batch_op.create_index(op.f("ix_discussion_posts_author_id"), ["author_id"])
        batch_op.create_index("ix_discussion_posts_thread_branch", ["thread_id", "branch_id"])
        batch_op.create_index("ix_discussion_posts_thread_parent", ["thread_id", "parent_id"])

    op.create_table(
        "discussion_post_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("previous_body", sa.Text(), nullable=False),
        sa.Column("previous_title", sa.String(length=200), nullable=True),
        sa.Column("edited_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["users.id"],
                                name=op.f("fk_discussion_post_edits_editor_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["post_id"], ["discussion_posts.id"],
                                name=op.f("fk_discussion_post_edits_post_id_discussion_posts"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_post_edits")),
    )
    with op.batch_alter_table("discussion_post_edits") as batch_op:
        batch_op.create_index(op.f("ix_discussion_post_edits_post_id"), ["post_id"])

    op.create_table(
        "discussion_thread_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("last_read_post_id", sa.Integer(), nullable=False),
        sa.Column("last_read_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["discussion_threads.id"],
                                name=op.f("fk_discussion_thread_reads_thread_id_discussion_threads"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_discussion_thread_reads_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_thread_reads")),
        sa.UniqueConstraint("user_id", "thread_id",
                            name=op.f("uq_discussion_thread_reads_user_id")),
    )
    with op.batch_alter_table("discussion_thread_reads") as batch_op:
        batch_op.create_index(op.f("ix_discussion_thread_reads_thread_id"), ["thread_id"])

    op.create_table(
        "discussion_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["thread_id"], ["discussion_threads.id"],
                                name=op.f("fk_discussion_subscriptions_thread_id_discussion_threads"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_discussion_subscriptions_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discussion_subscriptions")),
        sa.UniqueConstraint("user_id", "thread_id",
                            name=op.f("uq_discussion_subscriptions_user_id")),
    )
    with op.batch_alter_table("discussion_subscriptions") as batch_op:
        batch_op.create_index(op.f("ix_discussion_subscriptions_thread_id"), ["thread_id"])

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("verb", sa.String(length=30), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=120), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("emailed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"],
                                name=op.f("fk_notifications_actor_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_notifications_project_id_projects"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.create_index(op.f("ix_notifications_project_id"), ["project_id"])
        batch_op.create_index("ix_notifications_user_read", ["user_id", "read_at"])
        batch_op.create_index("ix_notifications_user_created", ["user_id", "created_at"])

    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("disabled_kinds", sa.JSON(), nullable=False),
        sa.Column("email_digest", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_notification_preferences_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_preferences")),
    )


def downgrade():
    op.drop_table("notification_preferences")
    op.drop_table("notifications")
    op.drop_table("discussion_subscriptions")
    op.drop_table("discussion_thread_reads")
    op.drop_table("discussion_post_edits")
    op.drop_table("discussion_posts")
    op.drop_table("discussion_threads")
