"""technology vocabulary: case studies' technology tags become vocabulary keys where the
vocabulary knows them (working copies and every revision's snapshot); free tags stay

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

from app.archive.technologies import canonical_tags

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

case_studies = sa.table("case_studies", sa.column("id", sa.Integer),
                        sa.column("technologies", sa.JSON))
revisions = sa.table("case_study_revisions", sa.column("id", sa.Integer),
                     sa.column("snapshot", sa.JSON))


def upgrade():
    """A data migration only: the search index picks the keys up at `search reindex` (the
    analysis version changed too, so `search check` reports every record as stale)."""
    bind = op.get_bind()
    for row in bind.execute(sa.select(case_studies.c.id, case_studies.c.technologies)).all():
        tags = list(row.technologies or [])
        canonical = canonical_tags(tags)
        if canonical != tags:
            bind.execute(case_studies.update().where(case_studies.c.id == row.id)
                         .values(technologies=canonical))
    for row in bind.execute(sa.select(revisions.c.id, revisions.c.snapshot)).all():
        snapshot = dict(row.snapshot or {})
        tags = list(snapshot.get("technologies") or [])
        canonical = canonical_tags(tags)
        if canonical != tags:
            snapshot["technologies"] = canonical
            bind.execute(revisions.update().where(revisions.c.id == row.id)
                         .values(snapshot=snapshot))


def downgrade():
    """Keys stay keys: they read as tags, and the free tags were never changed."""
