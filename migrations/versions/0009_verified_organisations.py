"""verified organisations and membership requests

Organisations get a verification status (and who added and who verified them); memberships get
a status (pending, verified, declined), an administrator flag and who answered them. Everything
that exists is verified: every organisation, every membership, and the earliest member of each
organisation becomes its administrator.

Revision ID: 0009
Revises: 0008
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        # SQLite rebuilds `organisations` to add its foreign keys; dropping the old table with
        # foreign keys enforced would cascade into every table that refers to it (members,
        # expertise, projects' lead museum…). The pragma only works outside a transaction.
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
        if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
            raise RuntimeError("Could not turn SQLite foreign keys off; refusing to rebuild "
                               "the organisations table (it would delete its members).")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("verification", sa.String(length=12), nullable=False,
                                      server_default="verified"))
        batch_op.add_column(sa.Column("verified_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("verified_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_organisations_verification"), ["verification"],
                              unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_organisations_created_by_id_users"), "users",
                                    ["created_by_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(batch_op.f("fk_organisations_verified_by_id_users"), "users",
                                    ["verified_by_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(length=10), nullable=False,
                                      server_default="verified"))
        batch_op.add_column(sa.Column("is_admin", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("decided_by_id", sa.Integer(), nullable=True))
        batch_op.create_index("ix_organisation_members_status", ["status"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_organisation_members_decided_by_id_users"),
                                    "users", ["decided_by_id"], ["id"], ondelete="SET NULL")

    connection = op.get_bind()
    connection.execute(sa.text("UPDATE organisations SET verified_at = :now"), {"now": now})
    rows = connection.execute(sa.text(
        "SELECT organisation_id, user_id FROM organisation_members "
        "ORDER BY organisation_id, created_at, user_id")).all()
    first = {}
    for organisation_id, user_id in rows:
        first.setdefault(organisation_id, user_id)
    for organisation_id, user_id in first.items():
        connection.execute(sa.text(
            "UPDATE organisation_members SET is_admin = :yes "
            "WHERE organisation_id = :org AND user_id = :user"),
            {"yes": True, "org": organisation_id, "user": user_id})

    # From now on the application says what each new row is; no database defaults.
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.alter_column("verification", server_default=None)
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.alter_column("status", server_default=None)
        batch_op.alter_column("is_admin", server_default=None)
    if sqlite:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("PRAGMA foreign_keys=OFF")  # see upgrade()
    # Requests and declined rows have no meaning before this revision: only members stay.
    op.execute("DELETE FROM organisation_members WHERE status <> 'verified'")
    with op.batch_alter_table("organisation_members", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organisation_members_decided_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_index("ix_organisation_members_status")
        batch_op.drop_column("decided_by_id")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("is_admin")
        batch_op.drop_column("status")
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_organisations_verified_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_organisations_created_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_organisations_verification"))
        batch_op.drop_column("verified_by_id")
        batch_op.drop_column("verified_at")
        batch_op.drop_column("verification")
        batch_op.drop_column("created_by_id")
    if bind.dialect.name == "sqlite":
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")
