"""Create the hackathon judging tables: judges' scores and published results.

They live in a schema of their own, ``odconf_hackathon``: the scores are
never part of a dataset, so nothing that reads datasets (package_show,
search, DCAT, exports) can carry them.

Revision ID: b7d3e1f5a902
Revises: a4c7e2b9d310
Create Date: 2026-11-30
"""
from alembic import op

revision = "b7d3e1f5a902"
down_revision = "a4c7e2b9d310"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE SCHEMA IF NOT EXISTS odconf_hackathon")
    # One row per judge, project and criterion. The scale a score was given
    # on is kept with it, so the database itself refuses a score outside it
    # (the programme may declare any scale within 0 to 100). No foreign keys:
    # CKAN's test fixtures drop and rebuild its tables under these.
    op.execute("""
        CREATE TABLE odconf_hackathon.score (
            conference_id text NOT NULL,
            package_id text NOT NULL,
            judge_id text NOT NULL,
            criterion text NOT NULL CHECK (length(criterion) BETWEEN 1 AND 100),
            score integer NOT NULL,
            scale_min integer NOT NULL,
            scale_max integer NOT NULL,
            scored_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (package_id, judge_id, criterion),
            CONSTRAINT score_scale CHECK (0 <= scale_min AND scale_min < scale_max AND scale_max <= 100),
            CONSTRAINT score_on_scale CHECK (score BETWEEN scale_min AND scale_max)
        )
    """)
    op.execute("CREATE INDEX score_conference_idx ON odconf_hackathon.score (conference_id)")
    # The results as the committee published them, once per edition: the
    # published page shows this ranking whatever happens to scores later.
    op.execute("""
        CREATE TABLE odconf_hackathon.results (
            conference_id text PRIMARY KEY,
            published_at timestamptz NOT NULL,
            published_by text NOT NULL,
            normalised boolean NOT NULL,
            ranking jsonb NOT NULL CHECK (jsonb_typeof(ranking) = 'object')
        )
    """)


def downgrade():
    op.execute("DROP TABLE odconf_hackathon.results")
    op.execute("DROP TABLE odconf_hackathon.score")
    op.execute("DROP SCHEMA IF EXISTS odconf_hackathon")
