"""Which database session an index write belongs to.

CKAN indexes a dataset from a ``before_commit`` hook of the session that
changed it. Writing the index through that same session puts the change and
its index entry in one transaction: both commit or neither does. Outside such
a commit (``ckan search-index`` commands, explicit Solr-style commits), the
write uses CKAN's scoped session and commits when asked to, as Solr would.
"""
from __future__ import annotations

import contextvars
from typing import Any, Optional

from ckan import model
from ckan.model import meta
from sqlalchemy import event
from sqlalchemy.orm import Session

_committing: contextvars.ContextVar[Optional[Session]] = contextvars.ContextVar(
    "odconf_search_committing", default=None)
_SESSION_FACTORIES = (meta.Session, meta.create_local_session)


def _enter_commit(session: Session) -> None:
    _committing.set(session)


def _leave_commit(session: Any, *_args: Any) -> None:
    if _committing.get() is session:
        _committing.set(None)


def listen() -> None:
    """Track the session being committed (idempotent)."""
    for factory in _SESSION_FACTORIES:
        if event.contains(factory, "before_commit", _enter_commit):
            continue
        # First before CKAN's own before_commit hook (which indexes), and
        # last after it; a failed commit is cleared by the rollback.
        event.listen(factory, "before_commit", _enter_commit, insert=True)
        event.listen(factory, "before_commit", _leave_commit)
        event.listen(factory, "after_rollback", _leave_commit)
        event.listen(factory, "after_soft_rollback", _leave_commit)


def session_for_write() -> tuple[Session, bool]:
    """The session to write the index with, and whether it is mid-commit."""
    committing = _committing.get()
    if committing is not None:
        return committing, True
    return model.Session, False


def session_for_read() -> Session:
    """Searches read through the session being committed, if any, else CKAN's."""
    return session_for_write()[0]
