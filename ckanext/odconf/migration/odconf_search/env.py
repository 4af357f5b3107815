"""Alembic environment of the odconf_search plugin.

The index lives in its own PostgreSQL schema, ``odconf_search``, and so does
this plugin's version table: like a Solr core, the index is kept apart from
CKAN's tables (CKAN's test fixtures drop and recreate everything in
``public``; a Solr index would survive that too).
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool, text

SCHEMA = "odconf_search"
VERSION_TABLE = "odconf_search_alembic_version"

config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"), literal_binds=True,
        version_table=VERSION_TABLE, version_table_schema=SCHEMA)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = engine_from_config(
        config.get_section(config.config_ini_section), prefix="sqlalchemy.",
        poolclass=pool.NullPool)
    # The version table lives in the schema, so the schema comes first.
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
    with engine.connect() as connection:
        context.configure(
            connection=connection, version_table=VERSION_TABLE,
            version_table_schema=SCHEMA)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
