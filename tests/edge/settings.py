"""Settings of the app server the edge test starts: the test settings plus a probe URL."""

from newsdesk.settings_test import *  # noqa: F403

ROOT_URLCONF = "tests.edge.urls"
