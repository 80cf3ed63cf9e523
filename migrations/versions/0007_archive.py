"""archive tables: case studies, their revisions, partners, attachments, reviews (+ search outbox)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("lead_organisation_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("technologies", sa.JSON(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("budget_eur", sa.Integer(), nullable=True),
        sa.Column("budget_range", sa.String(length=20), nullable=False),
        sa.Column("impact", sa.JSON(), nullable=False),
        sa.Column("license", sa.String(length=30), nullable=False),
        sa.Column("contact", sa.String(length=300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("current_revision_id", sa.Integer(), nullable=True),
        sa.Column("published_revision_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("first_published_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_case_studies_created_by_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["lead_organisation_id"], ["organisations.id"],
                                name=op.f("fk_case_studies_lead_organisation_id_organisations"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"],
                                name=op.f("fk_case_studies_project_id_projects"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_studies")),
        sa.UniqueConstraint("project_id", name=op.f("uq_case_studies_project_id")),
        sa.UniqueConstraint("slug", name=op.f("uq_case_studies_slug")),
    )
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_studies_lead_organisation_id"),
                              ["lead_organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_studies_published_at"), ["published_at"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_case_studies_published_revision_id"),
                              ["published_revision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_studies_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_studies_submitted_at"), ["submitted_at"],
                              unique=False)

    op.create_table(
        "case_study_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_study_id"], ["case_studies.id"],
                                name=op.f("fk_case_study_attachments_case_study_id_case_studies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_study_attachments")),
        sa.UniqueConstraint("case_study_id", "kind", "target_id",
                            name=op.f("uq_case_study_attachments_case_study_id")),
    )
    with op.batch_alter_table("case_study_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_study_attachments_case_study_id"),
                              ["case_study_id"], unique=False)

    op.create_table(
        "case_study_partners",
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_study_id"], ["case_studies.id"],
                                name=op.f("fk_case_study_partners_case_study_id_case_studies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_case_study_partners_organisation_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_study_id", "organisation_id",
                                name=op.f("pk_case_study_partners")),
    )
    with op.batch_alter_table("case_study_partners", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_study_partners_organisation_id"),
                              ["organisation_id"], unique=False)

    op.create_table(
        "case_study_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_study_id"], ["case_studies.id"],
                                name=op.f("fk_case_study_reviews_case_study_id_case_studies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reviewer_id"], ["users.id"],
                                name=op.f("fk_case_study_reviews_reviewer_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_study_reviews")),
    )
    with op.batch_alter_table("case_study_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_study_reviews_case_study_id"),
                              ["case_study_id"], unique=False)

    op.create_table(
        "case_study_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"],
                                name=op.f("fk_case_study_revisions_author_id_users"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["case_study_id"], ["case_studies.id"],
                                name=op.f("fk_case_study_revisions_case_study_id_case_studies"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_study_revisions")),
        sa.UniqueConstraint("case_study_id", "number",
                            name=op.f("uq_case_study_revisions_case_study_id")),
    )
    with op.batch_alter_table("case_study_revisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_study_revisions_case_study_id"),
                              ["case_study_id"], unique=False)

    # --- search outbox (owned by app/search) ---
    op.create_table(
        "search_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_outbox")),
    )
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_outbox_case_study_id"), ["case_study_id"],
                              unique=False)
    # --- end search outbox ---


def downgrade():
    # --- search outbox (owned by app/search) ---
    with op.batch_alter_table("search_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_outbox_case_study_id"))
    op.drop_table("search_outbox")
    # --- end search outbox ---

    for table in ("case_study_revisions", "case_study_reviews", "case_study_partners",
                  "case_study_attachments"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_" + (
                "organisation_id" if table == "case_study_partners" else "case_study_id")))
        op.drop_table(table)
    with op.batch_alter_table("case_studies", schema=None) as batch_op:
        for column in ("submitted_at", "status", "published_revision_id", "published_at",
                       "lead_organisation_id"):
            batch_op.drop_index(batch_op.f(f"ix_case_studies_{column}"))
    op.drop_table("case_studies")
