"""WSGI entry point of CKAN for a production server (gunicorn, uWSGI).

As CKAN's own ``wsgi.py`` (CKAN documentation, "Deploying a source install"),
the site's configuration file is the one the ``CKAN_INI`` environment variable
names; ``scripts/stack.sh`` sets it to the demo's ``ckan.ini``. CKAN's pip
package does not ship that file, hence this one.
"""
import os
from logging.config import fileConfig

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

CKAN_INI = os.environ.get("CKAN_INI", "")
if not os.path.isfile(CKAN_INI):
    raise RuntimeError(f"CKAN_INI must name the site's configuration file (got {CKAN_INI!r}).")

# Keep the server's own loggers (gunicorn's error and access logs): CKAN's
# loader would disable every logger its file does not name.
fileConfig(CKAN_INI, disable_existing_loggers=False)
# Evaluated once in every worker process (gunicorn.conf.py does not preload),
# so each worker runs the plugins' start-up hooks and owns its connections.
application = make_app(CKANConfigLoader(CKAN_INI).get_config())
