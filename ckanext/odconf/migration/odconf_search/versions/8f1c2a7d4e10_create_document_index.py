"""Create the embedded search index: documents, text analysis, indexes.

Revision ID: 8f1c2a7d4e10
Revises:
Create Date: 2026-11-26
"""
from alembic import op

revision = "8f1c2a7d4e10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SCHEMA IF NOT EXISTS odconf_search")
    # English Snowball stemming without stop words, as CKAN's Solr `text` type.
    op.execute("""
        CREATE TEXT SEARCH DICTIONARY odconf_search.english_stem
            (TEMPLATE = snowball, LANGUAGE = english)
    """)
    op.execute("CREATE TEXT SEARCH CONFIGURATION odconf_search.english (COPY = pg_catalog.english)")
    op.execute("""
        ALTER TEXT SEARCH CONFIGURATION odconf_search.english
            ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
            WITH odconf_search.english_stem
    """)
    op.execute("CREATE SEQUENCE odconf_search.document_seq")
    # One row per Solr document. `doc` holds the stored fields as Solr returns
    # them, `fields` the other indexed values ({field: [string, ...]}), `tsv`
    # the analysed text (weights: A title, B name/tags/groups, C notes, D the
    # rest of CKAN's `text`), `tsv_head` its A and B part for ranking; the
    # typed columns are the fields CKAN filters, sorts and facets on in nearly
    # every search (fields.COLUMNS).
    op.execute("""
        CREATE TABLE odconf_search.document (
            index_id text PRIMARY KEY,
            id text NOT NULL,
            doc jsonb NOT NULL,
            fields jsonb NOT NULL,
            tsv tsvector NOT NULL,
            tsv_head tsvector NOT NULL,
            seq bigint NOT NULL,
            indexed_at timestamptz NOT NULL DEFAULT now(),
            site_id text NOT NULL,
            state text,
            capacity text,
            dataset_type text,
            name text,
            organization text,
            license_id text,
            metadata_created text,
            metadata_modified text,
            title_string text,
            permission_labels text[] NOT NULL DEFAULT '{}',
            groups text[] NOT NULL DEFAULT '{}',
            tags text[] NOT NULL DEFAULT '{}',
            res_format text[] NOT NULL DEFAULT '{}'
        )
    """)
    # Keep rows narrow and their hot values uncompressed: the stored document
    # and the full text (read for one page of results, or through the GIN
    # index) are the ones PostgreSQL compresses and moves out of line; the
    # values every search filters, sorts, facets and ranks on stay in the row.
    hot = ["fields", "tsv_head", "site_id", "state", "capacity", "dataset_type",
           "name", "organization", "license_id", "metadata_created",
           "metadata_modified", "title_string", "permission_labels", "groups",
           "tags", "res_format"]
    op.execute("ALTER TABLE odconf_search.document "
               + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in hot))
    op.execute("CREATE INDEX document_fields_gin ON odconf_search.document USING gin (fields jsonb_path_ops)")
    op.execute("CREATE INDEX document_tsv_gin ON odconf_search.document USING gin (tsv)")
    op.execute("CREATE INDEX document_tags_gin ON odconf_search.document USING gin (tags)")
    op.execute("CREATE INDEX document_entity ON odconf_search.document (site_id, id)")
    op.execute("CREATE INDEX document_name ON odconf_search.document (name)")
    op.execute("CREATE INDEX document_modified ON odconf_search.document (metadata_modified)")


def downgrade():
    op.execute("DROP TABLE odconf_search.document")
    op.execute("DROP SEQUENCE odconf_search.document_seq")
    op.execute("DROP TEXT SEARCH CONFIGURATION odconf_search.english")
    op.execute("DROP TEXT SEARCH DICTIONARY odconf_search.english_stem")
