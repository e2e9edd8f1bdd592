"""A session ends after the idle time and after the absolute time, whatever the activity."""

import time

import pytest
from django.urls import reverse

from fairspot.security.middleware import LAST_SEEN, LOGIN_AT


@pytest.fixture
def logged_in(client, office):
    client.force_login(office)
    assert client.get(reverse("hub:dashboard")).status_code == 200
    return client


def shift(client, key, seconds_ago):
    session = client.session
    session[key] = time.time() - seconds_ago
    session.save()


def test_idle_session_expires(logged_in, settings):
    shift(logged_in, LAST_SEEN, settings.FAIRSPOT_SESSION_IDLE_MINUTES * 60 + 5)
    response = logged_in.get(reverse("hub:dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    assert "_auth_user_id" not in logged_in.session
    # Logged out for good: the next request is not let in either.
    assert logged_in.get(reverse("hub:dashboard")).status_code == 302


def test_activity_within_the_idle_time_keeps_the_session(logged_in, settings):
    shift(logged_in, LAST_SEEN, settings.FAIRSPOT_SESSION_IDLE_MINUTES * 60 - 60)
    assert logged_in.get(reverse("hub:dashboard")).status_code == 200
    assert time.time() - logged_in.session[LAST_SEEN] < 5  # the clock restarted


def test_active_session_still_ends_after_the_absolute_time(logged_in, settings):
    assert settings.SESSION_COOKIE_AGE == settings.FAIRSPOT_SESSION_HOURS * 3600 <= 8 * 3600
    shift(logged_in, LOGIN_AT, settings.SESSION_COOKIE_AGE + 5)
    response = logged_in.get(reverse("hub:dashboard"))
    assert response.status_code == 302 and "_auth_user_id" not in logged_in.session


def test_idle_logout_tells_the_officer_why(logged_in, settings):
    shift(logged_in, LAST_SEEN, settings.FAIRSPOT_SESSION_IDLE_MINUTES * 60 + 5)
    response = logged_in.get(reverse("hub:dashboard"), follow=True)
    assert "without activity" in response.content.decode()
