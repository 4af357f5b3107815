"""Helper of the request-input tests: many malformed requests, one comparison."""
from __future__ import annotations

from typing import Any, Optional


def assert_refused(app: Any, cases: dict[Any, tuple[str, Optional[str], str, str]]) -> None:
    """Send each case ``(url, json_body, field, message)`` (a GET of the URL
    when the body is None, else a POST of the JSON body) and check that every
    one answers 409 with CKAN's error JSON naming only ``field``, with ``message``.

    All answers are compared at once, so a failure lists every case that differs.
    """
    answers, expected = {}, {}
    for key, (url, body, field, message) in cases.items():
        response = (app.get(url) if body is None
                    else app.post(url, data=body, content_type="application/json"))
        answers[key] = (response.status_code, response.json["error"])
        expected[key] = (409, {"__type": "Validation Error", field: [message]})
    assert answers == expected
