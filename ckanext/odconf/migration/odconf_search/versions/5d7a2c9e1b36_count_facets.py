"""Keep the facet counts of CKAN's default facets, and drop repeated values.

``odconf_search.facet_count`` holds, for every combination of the values
every search filters on (site, state, capacity, dataset type, permission
labels), how many documents have each value of CKAN's default facet fields
(organization, groups, tags, res_format, license_id); field '' counts the
documents themselves. A search that filters on nothing else (the dataset
list, a facet-only query) reads its numbers here instead of visiting every
document.

Triggers on ``odconf_search.document`` append the changes of each statement
(+1 for new values, -1 for old ones), in the same transaction as the change:
the counts agree with the documents in every snapshot. Writers only insert,
so they never wait for one another here; ``compact_facet_counts()`` folds
the appended rows together from time to time.

Solr counts a document once per facet value: a dataset with two CSV
resources counts once under CSV. Repeated values of multi-valued columns are
dropped here (the indexer drops them from now on).

Revision ID: 5d7a2c9e1b36
Revises: 3c9e5b1a7f42
Create Date: 2026-11-26
"""
from alembic import op

revision = "5d7a2c9e1b36"
down_revision = "3c9e5b1a7f42"
branch_labels = None
depends_on = None

DIMENSIONS = "site_id, state, capacity, dataset_type, permission_labels"
FACETS = "organization, license_id, groups, tags, res_format"


def _distinct(column: str) -> str:
    return f"ARRAY(SELECT DISTINCT v FROM unnest({column}) v WHERE v IS NOT NULL)"


def upgrade():
    for column in ("permission_labels", "groups", "tags", "res_format"):
        op.execute(f"""
            UPDATE odconf_search.document SET {column} = {_distinct(column)}
            WHERE cardinality({column}) > (SELECT count(DISTINCT v) FROM unnest({column}) v)
        """)
    op.execute("""
        UPDATE odconf_search.document d SET fields = deduplicated.fields
        FROM (
            SELECT index_id, jsonb_object_agg(
                key, (SELECT jsonb_agg(DISTINCT e) FROM jsonb_array_elements(value) e)) AS fields
            FROM odconf_search.document, jsonb_each(fields)
            GROUP BY index_id
        ) deduplicated
        WHERE d.index_id = deduplicated.index_id AND d.fields <> deduplicated.fields
    """)
    op.execute(f"""
        CREATE TABLE odconf_search.facet_count (
            site_id text NOT NULL,
            state text,
            capacity text,
            dataset_type text,
            permission_labels text[] NOT NULL,
            field text NOT NULL,
            value text NOT NULL,
            n bigint NOT NULL
        )
    """)
    op.execute(f"""
        CREATE FUNCTION odconf_search.facet_values(
            organization text, license_id text, groups text[], tags text[], res_format text[])
        RETURNS TABLE (field text, value text) LANGUAGE sql IMMUTABLE AS $$
            SELECT '', ''
            UNION ALL SELECT 'organization', organization WHERE organization IS NOT NULL
            UNION ALL SELECT 'license_id', license_id WHERE license_id IS NOT NULL
            UNION ALL SELECT DISTINCT 'groups', v FROM unnest(groups) v WHERE v IS NOT NULL
            UNION ALL SELECT DISTINCT 'tags', v FROM unnest(tags) v WHERE v IS NOT NULL
            UNION ALL SELECT DISTINCT 'res_format', v FROM unnest(res_format) v WHERE v IS NOT NULL
        $$
    """)
    # One function for the three statement triggers: the transition tables
    # of each (new_rows, old_rows) are named in the query it runs.
    signed = {
        "INSERT": "SELECT {columns}, 1 AS sign FROM new_rows",
        "DELETE": "SELECT {columns}, -1 AS sign FROM old_rows",
        "UPDATE": "SELECT {columns}, 1 AS sign FROM new_rows"
                  " UNION ALL SELECT {columns}, -1 FROM old_rows",
    }
    cases = " ".join(
        f"WHEN '{event}' THEN '{query.format(columns=DIMENSIONS + ', ' + FACETS)}'"
        for event, query in signed.items())
    op.execute(f"""
        CREATE FUNCTION odconf_search.count_facets() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            EXECUTE 'INSERT INTO odconf_search.facet_count
                     SELECT {DIMENSIONS}, f.field, f.value, sum(c.sign)
                     FROM (' || CASE TG_OP {cases} END || ') c
                     CROSS JOIN LATERAL odconf_search.facet_values({FACETS}) f
                     GROUP BY {DIMENSIONS}, f.field, f.value
                     HAVING sum(c.sign) <> 0';
            RETURN NULL;
        END
        $$
    """)
    for event, tables in (("INSERT", "NEW TABLE AS new_rows"),
                          ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                          ("DELETE", "OLD TABLE AS old_rows")):
        op.execute(f"""
            CREATE TRIGGER count_facets_{event.lower()} AFTER {event} ON odconf_search.document
            REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION odconf_search.count_facets()
        """)
    op.execute("""
        CREATE FUNCTION odconf_search.forget_facets() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM odconf_search.facet_count;
            RETURN NULL;
        END
        $$
    """)
    op.execute("""
        CREATE TRIGGER count_facets_truncate AFTER TRUNCATE ON odconf_search.document
        FOR EACH STATEMENT EXECUTE FUNCTION odconf_search.forget_facets()
    """)
    # Folds the appended changes into one row per value. One caller at a
    # time (the others skip it); writers go on appending meanwhile, and what
    # they append is not visible to this statement, so it stays as it is.
    op.execute(f"""
        CREATE FUNCTION odconf_search.compact_facet_counts() RETURNS boolean
        LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT pg_try_advisory_xact_lock(hashtext('odconf_search.facet_count')) THEN
                RETURN false;
            END IF;
            WITH gone AS (DELETE FROM odconf_search.facet_count RETURNING *)
            INSERT INTO odconf_search.facet_count
            SELECT {DIMENSIONS}, field, value, sum(n) FROM gone
            GROUP BY {DIMENSIONS}, field, value HAVING sum(n) <> 0;
            RETURN true;
        END
        $$
    """)
    op.execute(f"""
        INSERT INTO odconf_search.facet_count
        SELECT {DIMENSIONS}, f.field, f.value, count(*)
        FROM odconf_search.document d
        CROSS JOIN LATERAL odconf_search.facet_values({FACETS}) f
        GROUP BY {DIMENSIONS}, f.field, f.value
    """)


def downgrade():
    for event in ("insert", "update", "delete", "truncate"):
        op.execute(f"DROP TRIGGER count_facets_{event} ON odconf_search.document")
    op.execute("DROP FUNCTION odconf_search.forget_facets()")
    op.execute("DROP FUNCTION odconf_search.count_facets()")
    op.execute("DROP FUNCTION odconf_search.compact_facet_counts()")
    op.execute("DROP FUNCTION odconf_search.facet_values(text, text, text[], text[], text[])")
    op.execute("DROP TABLE odconf_search.facet_count")
