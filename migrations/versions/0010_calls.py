"""calls: programme managers (users.is_manager), calls and their evaluation criteria

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("is_manager", sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("texts", sa.JSON(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("opens_at", sa.DateTime(), nullable=False),
        sa.Column("closes_at", sa.DateTime(), nullable=False),
        sa.Column("budget_eur", sa.Integer(), nullable=False),
        sa.Column("max_grant_eur", sa.Integer(), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("lead_kinds", sa.JSON(), nullable=False),
        sa.Column("museum_sizes", sa.JSON(), nullable=False),
        sa.Column("min_partners", sa.Integer(), nullable=False),
        sa.Column("partner_kinds", sa.JSON(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("evaluators_per_application", sa.Integer(), nullable=False),
        sa.Column("two_stage", sa.Boolean(), nullable=False),
        sa.Column("results", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_calls_slug"), "calls", ["slug"], unique=True)
    op.create_index(op.f("ix_calls_status"), "calls", ["status"], unique=False)
    op.create_index(op.f("ix_calls_closes_at"), "calls", ["closes_at"], unique=False)
    op.create_table(
        "call_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_call_criteria_call_id"), "call_criteria", ["call_id"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_call_criteria_call_id"), table_name="call_criteria")
    op.drop_table("call_criteria")
    op.drop_index(op.f("ix_calls_closes_at"), table_name="calls")
    op.drop_index(op.f("ix_calls_status"), table_name="calls")
    op.drop_index(op.f("ix_calls_slug"), table_name="calls")
    op.drop_table("calls")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("is_manager")
