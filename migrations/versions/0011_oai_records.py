"""oai_records: the harvesting trace of every case study that is or was public (OAI-PMH)

Existing public case studies become records dated by their publication; case studies that were
published once and withdrawn since become deleted records dated by their withdrawal.

Revision ID: 0011
Revises: 0010
"""
import json
import re
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "oai_records",
        sa.Column("case_study_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("datestamp", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("case_study_id"),
        sa.UniqueConstraint("slug"),
    )
    op.create_index("ix_oai_records_datestamp_id", "oai_records",
                    ["datestamp", "case_study_id"])
    op.create_table(
        "oai_record_sets",
        sa.Column("case_study_id", sa.Integer(), nullable=False),
        sa.Column("spec", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(["case_study_id"], ["oai_records.case_study_id"],
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("case_study_id", "spec"),
    )
    op.create_index(op.f("ix_oai_record_sets_spec"), "oai_record_sets", ["spec"])
    _backfill()


def _backfill():
    """Records for what is public now and for what was withdrawn (sets from the snapshot the
    last publication named). The set rule is app/archive/oai_records.set_specs_of, copied so
    this revision keeps meaning what it meant when written."""
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, slug, published_revision_id, published_at, first_published_at, updated_at "
        "FROM case_studies WHERE published_revision_id IS NOT NULL "
        "OR first_published_at IS NOT NULL")).mappings().all()
    records, sets = [], []
    for row in rows:
        public = row["published_revision_id"] is not None
        revision_id = row["published_revision_id"] if public else bind.execute(sa.text(
            "SELECT revision_id FROM case_study_reviews WHERE case_study_id = :id "
            "AND decision IN ('published', 'imported') ORDER BY id DESC LIMIT 1"),
            {"id": row["id"]}).scalar()
        moment = row["published_at"] if public else bind.execute(sa.text(
            "SELECT max(created_at) FROM case_study_reviews WHERE case_study_id = :id "
            "AND decision = 'withdrawn'"), {"id": row["id"]}).scalar()
        moment = _datetime(moment or row["updated_at"] or row["first_published_at"])
        records.append({"case_study_id": row["id"], "slug": row["slug"],
                        "datestamp": moment.replace(microsecond=0), "deleted": not public})
        snapshot = bind.execute(sa.text(
            "SELECT snapshot FROM case_study_revisions WHERE id = :id"),
            {"id": revision_id}).scalar() if revision_id else None
        if isinstance(snapshot, str):
            snapshot = json.loads(snapshot)
        sets += [{"case_study_id": row["id"], "spec": spec}
                 for spec in _set_specs(snapshot or {})]
    if records:
        op.bulk_insert(sa.table("oai_records", sa.column("case_study_id"), sa.column("slug"),
                                sa.column("datestamp", sa.DateTime()),
                                sa.column("deleted", sa.Boolean())), records)
    if sets:
        op.bulk_insert(sa.table("oai_record_sets", sa.column("case_study_id"),
                                sa.column("spec")), sets)


def _datetime(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _set_specs(snapshot: dict) -> list[str]:
    specs = {f"area:{area}" for area in snapshot.get("areas") or []
             if re.fullmatch(r"[A-Za-z0-9._-]+", str(area))}
    country = str((snapshot.get("lead") or {}).get("country") or "").upper()
    if re.fullmatch(r"[A-Z]{2}", country):
        specs.add(f"country:{country}")
    language = str(snapshot.get("language") or "").lower()
    if re.fullmatch(r"[a-z]{2,3}", language):
        specs.add(f"language:{language}")
    return sorted(specs)


def downgrade():
    op.drop_index(op.f("ix_oai_record_sets_spec"), table_name="oai_record_sets")
    op.drop_table("oai_record_sets")
    op.drop_index("ix_oai_records_datestamp_id", table_name="oai_records")
    op.drop_table("oai_records")
