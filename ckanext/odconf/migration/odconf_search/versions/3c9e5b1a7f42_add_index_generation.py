"""Count committed changes of the index (the result cache is keyed by it).

Revision ID: 3c9e5b1a7f42
Revises: 8f1c2a7d4e10
Create Date: 2026-11-26
"""
from alembic import op

revision = "3c9e5b1a7f42"
down_revision = "8f1c2a7d4e10"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""
        CREATE TABLE odconf_search.generation (
            id integer PRIMARY KEY CHECK (id = 1),
            value bigint NOT NULL
        )
    """)
    op.execute("INSERT INTO odconf_search.generation VALUES (1, 0)")


def downgrade():
    op.execute("DROP TABLE odconf_search.generation")
