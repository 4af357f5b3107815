"""Create the link tables: which entry carries which outside link, and the
last check of each address.

Revision ID: a4c7e2b9d310
Revises:
Create Date: 2026-11-30
"""
from alembic import op

revision = "a4c7e2b9d310"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SCHEMA IF NOT EXISTS odconf_links")
    # One row per link of a public entry: a dataset field (resource_id '') or
    # a resource's URL. No foreign key: CKAN's tables are dropped and rebuilt
    # under these by its test fixtures, and pages join on live packages.
    op.execute("""
        CREATE TABLE odconf_links.link (
            package_id text NOT NULL,
            field text NOT NULL,
            resource_id text NOT NULL DEFAULT '',
            url text NOT NULL CHECK (length(url) <= 2048),
            PRIMARY KEY (package_id, field, resource_id)
        )
    """)
    op.execute("CREATE INDEX link_url_idx ON odconf_links.link (url)")
    # The last check of each address; broken_since is the first failure of
    # the current run of failures ("broken since DATE").
    op.execute("""
        CREATE TABLE odconf_links.link_check (
            url text PRIMARY KEY CHECK (length(url) <= 2048),
            state text NOT NULL CHECK (state IN ('works', 'moved', 'broken')),
            status_code integer,
            final_url text,
            content_type text,
            size bigint,
            problem text,
            error text,
            checked_at timestamptz NOT NULL,
            broken_since timestamptz,
            CHECK ((state = 'broken') = (broken_since IS NOT NULL))
        )
    """)


def downgrade():
    op.execute("DROP TABLE odconf_links.link_check")
    op.execute("DROP TABLE odconf_links.link")
