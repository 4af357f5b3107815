"""The submission window: from the programme by default, from the options
when they are set."""
from __future__ import annotations

import datetime
from typing import Any

import pytest

from ckanext.odconf.hackathon import window
from tests.hackathon.conftest import OPEN_WINDOW

PHNOM_PENH = datetime.timezone(datetime.timedelta(hours=7))


def test_the_programme_sets_day_two_from_the_first_session_to_the_pitch(nodc: Any):
    submission = window.submission_window("nodc-2024")
    assert submission is not None
    # the expert talks start at 09:00, the pitch at 14:30, on 27 March 2024 in Phnom Penh
    assert submission.opens == datetime.datetime(2024, 3, 27, 9, 0, tzinfo=PHNOM_PENH)
    assert submission.closes == datetime.datetime(2024, 3, 27, 14, 30, tzinfo=PHNOM_PENH)
    assert submission.time_zone == "Asia/Phnom_Penh"
    assert submission.state(datetime.datetime(2024, 3, 27, 1, 59, tzinfo=datetime.timezone.utc)) == "before"
    assert submission.state(datetime.datetime(2024, 3, 27, 2, 0, tzinfo=datetime.timezone.utc)) == "open"
    assert submission.state(datetime.datetime(2024, 3, 27, 7, 30, tzinfo=datetime.timezone.utc)) == "closed"
    assert submission.state() == "closed"  # 2024 is past
    assert submission.shown(submission.closes) == "2024-03-27 14:30 (Asia/Phnom_Penh)"


@pytest.mark.ckan_config(*OPEN_WINDOW[1])
def test_an_option_replaces_one_end(nodc: Any):
    submission = window.submission_window("nodc-2024")
    assert submission is not None
    assert submission.opens == datetime.datetime(2024, 3, 27, 9, 0, tzinfo=PHNOM_PENH)
    assert submission.closes == datetime.datetime(2100, 1, 1, tzinfo=PHNOM_PENH)
    assert submission.state() == "open"


@pytest.mark.ckan_config("odconf.hackathon.submission_closes", "2024-03-27T18:00:00")
def test_an_option_without_an_offset_is_in_the_editions_time_zone(nodc: Any):
    submission = window.submission_window("nodc-2024")
    assert submission is not None and submission.closes == datetime.datetime(
        2024, 3, 27, 18, 0, tzinfo=PHNOM_PENH)


def test_a_malformed_option_is_refused_at_start():
    with pytest.raises(window.WindowOptionError) as refused:
        window.check_options({"odconf.hackathon.submission_opens": "Day 2, morning"})
    assert "odconf.hackathon.submission_opens = 'Day 2, morning' is not a date and time" in str(refused.value)


def test_no_window_without_a_conference(nodc: Any):
    assert window.submission_window("no-such-edition") is None
    assert "only the hackathon committee" in str(window.refusal(None))
