"""Alembic environment of the odconf plugin.

Its tables and version table live in the PostgreSQL schema ``odconf_links``:
CKAN's test fixtures drop every table of the default schema, and a schema
named ``odconf``, like the database role, would itself be first in the
role's search_path and so become that default schema.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool, text

SCHEMA = "odconf_links"
VERSION_TABLE = "odconf_alembic_version"

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
