"""case study translations: a translated title, summary and sections per case study and language

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_study_translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("translated_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_study_id"], ["case_studies.id"],
                                name=op.f("fk_case_study_translations_case_study_id_case_studies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["translated_by_id"], ["users.id"],
                                name=op.f("fk_case_study_translations_translated_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_study_translations")),
        sa.UniqueConstraint("case_study_id", "language",
                            name=op.f("uq_case_study_translations_case_study_id")),
    )
    with op.batch_alter_table("case_study_translations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_study_translations_case_study_id"),
                              ["case_study_id"], unique=False)


def downgrade():
    op.drop_table("case_study_translations")
