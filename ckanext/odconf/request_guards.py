"""Requests refused before CKAN reads them (Flask ``before_request`` hooks).

Some input fails inside CKAN or Flask before any action or validator of this
extension could answer: an action API body larger than any action needs
(CKAN reads it whole, and its parsed form takes about three times its size in
the worker), a JSON body nested deeper than Python's parser can follow, and a NUL character or unpaired surrogate in the address or the query
string, which every page and action reading it hands on to PostgreSQL (a 500
from ``/organization/%00``, ``group_show?id=%00``...). These hooks answer them
with a 4xx first: the action API in CKAN's error JSON, pages with CKAN's
error page.
"""
from __future__ import annotations

import json
from typing import Any, Optional

import ckan.plugins.toolkit as tk
import flask
from werkzeug.exceptions import RequestEntityTooLarge

from ckanext.odconf.logic.values import character_problem
from ckanext.odconf.programme import format as yaml_format


def _api_error(status: int, error: dict[str, Any]) -> flask.Response:
    body = {"success": False, "error": error}
    return flask.Response(json.dumps(body), status=status, mimetype="application/json")


def _is_api(request: flask.Request) -> bool:
    return request.path.startswith("/api/")


def _max_body_size() -> int:
    """Bytes an action API body may have (``odconf.api.max_body_size``, in MB)."""
    return tk.asint(tk.config.get("odconf.api.max_body_size")) * 1024 * 1024


def refuse_oversized_body() -> Optional[flask.Response]:
    """Answer 413 to an action API body over ``odconf.api.max_body_size``.

    A file upload (``multipart/form-data``) is not bounded here: werkzeug
    spools its file to disk and the upload limits of CKAN and the hackathon
    bound it; its other fields are bounded by werkzeug's form memory limit.
    """
    request = flask.request
    if (request.method not in ("POST", "PUT") or not _is_api(request)
            or request.mimetype == "multipart/form-data"):
        return None
    limit = _max_body_size()
    # a chunked body (no length) is cut when reading passes the limit
    request.max_content_length = limit
    if request.content_length is None or request.content_length <= limit:
        return None
    return _too_large(limit)


def _too_large(limit: int) -> flask.Response:
    message = tk._("The request body is larger than {size} MB").format(size=limit // (1024 * 1024))
    return _api_error(413, {"__type": "Request Entity Too Large", "message": message})


def refuse_deep_json() -> Optional[flask.Response]:
    """Answer 400 to an action API request whose JSON nests deeper than
    :data:`yaml_format.MAX_DEPTH`.

    CKAN's API view parses the body with ``json`` (``request.get_json()``, or
    ``json.loads`` of a form key), which recurses per level: 100,000 levels
    end in a RecursionError, a 500. Measuring the depth first, without
    parsing, answers before CKAN parses anything.
    """
    request = flask.request
    if request.method not in ("POST", "PUT") or not _is_api(request):
        return None
    try:
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            texts = list(request.form.keys()) + list(request.form.values())
        else:
            texts = [request.get_data(cache=True).decode("utf-8", "replace")]
    except RequestEntityTooLarge:
        return _too_large(_max_body_size())
    if all(yaml_format.nesting_depth(text) <= yaml_format.MAX_DEPTH for text in texts):
        return None
    message = tk._("The JSON body is nested deeper than {limit} levels").format(
        limit=yaml_format.MAX_DEPTH)
    return _api_error(400, {"__type": "Bad request", "message": message})


def refuse_unstorable_characters() -> Optional[flask.Response]:
    """Answer a NUL or an unpaired surrogate in the address or the query string.

    The action API answers 409 with CKAN's validation error naming each
    parameter, as the actions' own schemas do; a page answers 400.
    """
    request = flask.request
    path_problem = character_problem(request.path)
    errors: dict[str, list[str]] = {}
    for name, values in request.args.lists():
        for text in (name, *values):
            problem = character_problem(text)
            if problem:  # JSON escapes the name itself
                errors[name] = [problem]
                break
    if not path_problem and not errors:
        return None
    if _is_api(request):
        if path_problem:
            return _api_error(400, {"__type": "Bad request", "message": path_problem})
        return _api_error(409, {"__type": "Validation Error", **errors})
    message = path_problem or "; ".join(
        f"{name}: {problems[0]}" for name, problems in errors.items())
    return tk.abort(400, message)


def make_middleware(app: Any) -> Any:
    """Register the hooks on CKAN's Flask app (IMiddleware)."""
    if isinstance(app, flask.Flask):
        app.before_request(refuse_unstorable_characters)
        app.before_request(refuse_oversized_body)
        app.before_request(refuse_deep_json)
    return app
