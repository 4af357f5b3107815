"""Which database session an index write belongs to, and the index generation.

CKAN indexes a dataset from a ``before_commit`` hook of the session that
changed it. Writing the index through that same session puts the change and
its index entry in one transaction: both commit or neither does. Outside such
a commit (``ckan search-index`` commands, explicit Solr-style commits), the
write uses CKAN's scoped session and commits when asked to, as Solr would.

A transaction that wrote the index also increments ``odconf_search.generation``
and draws a new random ``state`` identifier there, as the very last thing
before it commits (and, one in ``COMPACT_EVERY``, compacts the facet counts).
Writers queue on that one row only for the instant of their commit, so the
state a reader sees names exactly the committed state of the index it reads:
the key of the result cache. Being random, it names that state alone, also
next to another database (or a restored copy of this one) whose counter
reached the same generation.
"""
from __future__ import annotations

import contextvars
from typing import Any, Optional

from ckan import model
from ckan.model import meta
from sqlalchemy import event, text
from sqlalchemy.orm import Session

_committing: contextvars.ContextVar[Optional[Session]] = contextvars.ContextVar(
    "odconf_search_committing", default=None)
_SESSION_FACTORIES = (meta.Session, meta.create_local_session)
_WRITTEN = "odconf_search.written"
_BUMP = text("UPDATE odconf_search.generation SET value = value + 1, state = gen_random_uuid()"
             " WHERE id = 1 RETURNING value")
_COMPACT = text("SELECT odconf_search.compact_facet_counts()")
# Every so many index-writing commits, one of them folds the facet counts
# its predecessors appended (see migration 5d7a2c9e1b36).
COMPACT_EVERY = 32
_READ = text("SELECT state, value FROM odconf_search.generation WHERE id = 1")


def _enter_commit(session: Session) -> None:
    _committing.set(session)


def _before_commit_ends(session: Session) -> None:
    if session.info.pop(_WRITTEN, False):
        if (session.execute(_BUMP).scalar() or 0) % COMPACT_EVERY == 0:
            session.execute(_COMPACT)
    _leave_commit(session)


def _leave_commit(session: Any, *_args: Any) -> None:
    if _committing.get() is session:
        _committing.set(None)


def _transaction_ended(session: Any, transaction: Any) -> None:
    # The outermost transaction ended (committed, rolled back or closed,
    # also after a commit that failed): whatever it wrote is gone or counted.
    if transaction.parent is None:
        session.info.pop(_WRITTEN, None)
        _leave_commit(session)


def wrote(session: Session) -> None:
    """Note that ``session`` changed the index in its current transaction."""
    session.info[_WRITTEN] = True


def has_uncommitted_writes(session: Session) -> bool:
    """True when ``session`` sees index changes no one else sees yet."""
    return bool(session.info.get(_WRITTEN))


def index_state(session: Session) -> str:
    """The name of the committed state of the index ``session`` reads.

    Its random identifier, then its generation (how many committed
    transactions have changed the index) for people reading cache keys.
    """
    state, value = session.execute(_READ).one()
    return f"{state}.{value}"


def listen() -> None:
    """Track the session being committed (idempotent)."""
    for factory in _SESSION_FACTORIES:
        if event.contains(factory, "before_commit", _enter_commit):
            continue
        # First before CKAN's own before_commit hook (which indexes), and
        # last after it.
        event.listen(factory, "before_commit", _enter_commit, insert=True)
        event.listen(factory, "before_commit", _before_commit_ends)
        event.listen(factory, "after_transaction_end", _transaction_ended)


def session_for_write() -> tuple[Session, bool]:
    """The session to write the index with, and whether it is mid-commit."""
    committing = _committing.get()
    if committing is not None:
        return committing, True
    return model.Session, False


def session_for_read() -> Session:
    """Searches read through the session being committed, if any, else CKAN's."""
    return session_for_write()[0]
