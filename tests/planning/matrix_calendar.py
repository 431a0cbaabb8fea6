"""Role-matrix rows of the calendar and the personal iCal feed (planning/views/calendar.py)."""

from planning import services
from tests.matrix import EVERYONE, Case, get
from tests.world import STAFF_ROLES


def _teacher_token(w) -> dict:
    return {"token": services.calendar_token_for(user=w.people["teacher"].user).token}


MATRIX = {
    "planning:calendar": get(STAFF_ROLES),
    "planning:feed_settings": get(STAFF_ROLES),
    # Calendar apps cannot log in: the secret in the URL is the credential, so anyone holding it reads the feed
    # (a wrong token answers 404: tests/planning/test_calendar.py).
    "planning:ical_feed": Case(kwargs=_teacher_token, ok=EVERYONE, anonymous=200),
}
