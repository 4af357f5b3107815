"""Create the embedded search index: documents, text analysis, GIN indexes.

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
    op.execute("""
        CREATE TABLE odconf_search.document (
            index_id text PRIMARY KEY,
            site_id text NOT NULL,
            entity_id text NOT NULL,
            doc jsonb NOT NULL,
            fields jsonb NOT NULL,
            tsv tsvector NOT NULL,
            seq bigint NOT NULL,
            indexed_at timestamptz NOT NULL DEFAULT now()
        )
    """)
    op.execute("CREATE INDEX document_fields_gin ON odconf_search.document USING gin (fields jsonb_path_ops)")
    op.execute("CREATE INDEX document_tsv_gin ON odconf_search.document USING gin (tsv)")
    op.execute("CREATE INDEX document_entity ON odconf_search.document (site_id, entity_id)")


def downgrade():
    op.execute("DROP TABLE odconf_search.document")
    op.execute("DROP SEQUENCE odconf_search.document_seq")
    op.execute("DROP TEXT SEARCH CONFIGURATION odconf_search.english")
    op.execute("DROP TEXT SEARCH DICTIONARY odconf_search.english_stem")
