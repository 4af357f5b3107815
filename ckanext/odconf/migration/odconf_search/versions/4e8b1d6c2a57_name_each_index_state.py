"""Name each committed state of the index with a random identifier.

The result cache was keyed by site id and generation, a counter that every
database starts at 0: two databases sharing a Redis and a ``ckan.site_id``
(a second site, the database of CKAN's own test suite, a restored dump that
goes on from an older generation) reached the same generation with different
indexes, and one was served the other's results, private and draft entries
included. ``state`` is drawn at random with the index and drawn again by
every transaction that changes it, so a state name is never reused, in this
database or any other.

Revision ID: 4e8b1d6c2a57
Revises: 9b4e6f2a8c11
Create Date: 2026-11-27
"""
from alembic import op

revision = "4e8b1d6c2a57"
down_revision = "9b4e6f2a8c11"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE odconf_search.generation"
               " ADD COLUMN state uuid NOT NULL DEFAULT gen_random_uuid()")


def downgrade():
    op.execute("ALTER TABLE odconf_search.generation DROP COLUMN state")
