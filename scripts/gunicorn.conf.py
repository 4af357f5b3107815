"""Gunicorn settings of the demo site (``make demo``), after CKAN's deployment guide.

``scripts/stack.sh`` passes what depends on the checkout (bind address, log,
``CKAN_INI``) and keeps the pid file. The number of worker processes and of
threads in each come from ``ODCONF_WORKERS`` and ``ODCONF_THREADS``.
"""
import os

wsgi_app = "wsgi:application"
pythonpath = os.path.dirname(os.path.abspath(__file__))

worker_class = "gthread"
workers = int(os.environ.get("ODCONF_WORKERS", "3"))
threads = int(os.environ.get("ODCONF_THREADS", "4"))
# Every worker builds the CKAN app itself: building it opens database
# connections, which processes forked from a preloaded master would share.
preload_app = False

# A worker whose main loop is stuck this long is replaced; requests in threads
# keep the loop alive, so this does not cut slow searches short.
timeout = 60
graceful_timeout = 10
# CKAN builds long search URLs (facets, filters); gunicorn's largest line.
limit_request_line = 8190
# The default control socket sits in $HOME, one path for every gunicorn of
# the user: two sites (the demo and a test server) would take each other's.
control_socket_disable = True
