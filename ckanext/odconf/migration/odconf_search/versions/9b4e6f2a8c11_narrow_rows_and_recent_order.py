"""Keep the ``fields`` JSONB out of the document rows; index the newest first.

A text search visits the row of every document it matches, for the values
it filters, ranks, sorts and counts on. ``fields`` (the indexed values of
all other fields, about 650 compressed bytes a dataset) made those rows twice
as wide as the values read: stored out of line, it is read only by the
searches that filter or facet on one of its fields. Rows written from now on
(any reindex) take the new layout.

CKAN lists datasets newest first when nothing is searched for (score, then
``metadata_modified`` descending): an index in that very order gives the
first page of /dataset from its first rows instead of sorting them all.

Revision ID: 9b4e6f2a8c11
Revises: 5d7a2c9e1b36
Create Date: 2026-11-26
"""
from alembic import op

revision = "9b4e6f2a8c11"
down_revision = "5d7a2c9e1b36"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE odconf_search.document ALTER COLUMN fields SET STORAGE EXTENDED,"
               " SET (toast_tuple_target = 512)")
    # The order of sql.sort_key("metadata_modified") DESC NULLS LAST, then seq.
    op.execute("""CREATE INDEX document_recent ON odconf_search.document
                  ((metadata_modified COLLATE "C") DESC NULLS LAST, seq)""")


def downgrade():
    op.execute("DROP INDEX odconf_search.document_recent")
    op.execute("ALTER TABLE odconf_search.document ALTER COLUMN fields SET STORAGE MAIN,"
               " RESET (toast_tuple_target)")
