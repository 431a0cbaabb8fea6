"""The staff import's confirmation runs once: a second confirmation of the same preview — later, or at the same
moment in eight parallel requests — is told the import has already been done and creates nobody."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.test import Client
from django.urls import reverse

from structure import importing
from structure.models import Person, SystemRole
from structure.views_io import SESSION_KEY
from tests.factories import person_with_account
from tests.reference import seed_reference_data

NAMES = ["Орлова Вера Павловна", "Белов Антон Сергеевич", "Кузнецова Ирина Олеговна"]


def import_url() -> str:
    return reverse("structure:people_import")


def staff_csv(name: str = "staff.csv") -> SimpleUploadedFile:
    rows = ["ФИО;Должность;Дата приёма", *(f"{full_name};Методист;01.09.2015" for full_name in NAMES)]
    return SimpleUploadedFile(name, ("\r\n".join(rows) + "\r\n").encode("cp1251"), content_type="text/csv")


def imported() -> dict[str, int]:
    return {
        full_name: Person.objects.filter(last_name=full_name.split()[0], first_name=full_name.split()[1]).count()
        for full_name in NAMES
    }


def preview(client: Client) -> str:
    """Upload the file; the confirmation's token from the preview page."""
    response = client.post(import_url(), {"file": staff_csv()})
    assert response.status_code == 200
    token = response.context["token"]
    assert token and f'name="token" value="{token}"' in response.content.decode()
    return token


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


@pytest.fixture
def methodist(db):
    return person_with_account("methodist", SystemRole.METHODIST)


# ---------------------------------------------------------------- one after the other (any database)


@pytest.mark.django_db
def test_second_confirmation_of_the_same_preview_is_refused_and_creates_nobody(client, methodist):
    client.force_login(methodist.user)
    token = preview(client)
    before = Person.objects.count()

    first = client.post(import_url(), {"confirm": "1", "token": token})
    client.get(first["Location"])  # the page shows (and consumes) the first message
    second = client.post(import_url(), {"confirm": "1", "token": token})

    assert first.status_code == 302 and first["Location"] == reverse("structure:person_list")
    assert levels(first) == [message_levels.SUCCESS]
    assert second.status_code == 302 and second["Location"] == reverse("structure:person_list")
    assert levels(second) == [message_levels.WARNING]
    assert Person.objects.count() == before + len(NAMES)
    assert imported() == dict.fromkeys(NAMES, 1)
    assert SESSION_KEY not in client.session

    with pytest.raises(ValidationError) as refused:
        importing.confirm_people_import(token=token, user_id=methodist.user.pk)
    assert refused.value.code == "already_imported"
    assert "3" in refused.value.messages[0]
    assert Person.objects.count() == before + len(NAMES)


@pytest.mark.django_db
def test_service_confirms_once():
    seed_reference_data()
    data = staff_csv().read()
    token = importing.stash_pending_import(user_id=7, data=data, filename="staff.csv")

    assert importing.confirm_people_import(token=token, user_id=7) == len(NAMES)
    with pytest.raises(ValidationError) as refused:
        importing.confirm_people_import(token=token, user_id=7)

    assert refused.value.code == "already_imported"
    assert imported() == dict.fromkeys(NAMES, 1)
    # The done marker keeps no copy of the file.
    assert "data" not in importing.PendingStore().decode(Session.objects.get(session_key=token).session_data)


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "no-such-token", None])
def test_unknown_token_is_expired(methodist, token):
    with pytest.raises(ValidationError) as refused:
        importing.confirm_people_import(token=token, user_id=methodist.user.pk)
    assert refused.value.code == "expired"


@pytest.mark.django_db
def test_another_users_token_is_refused(client, methodist):
    client.force_login(methodist.user)
    token = preview(client)
    other = person_with_account("deputy", SystemRole.DEPUTY)

    with pytest.raises(ValidationError) as refused:
        importing.confirm_people_import(token=token, user_id=other.user.pk)

    assert refused.value.code == "expired"
    assert imported() == dict.fromkeys(NAMES, 0)


@pytest.mark.django_db
def test_a_users_session_key_is_not_a_token(client, methodist):
    client.force_login(methodist.user)
    own_session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with pytest.raises(ValidationError) as refused:
        importing.confirm_people_import(token=own_session, user_id=methodist.user.pk)
    assert refused.value.code == "expired"
    importing.discard_pending_import(token=own_session, user_id=methodist.user.pk)
    assert Session.objects.filter(session_key=own_session).exists(), "discarding never logs anybody out"


@pytest.mark.django_db
def test_a_new_preview_replaces_the_pending_one(client, methodist):
    client.force_login(methodist.user)
    old = preview(client)
    new = preview(client)

    assert not Session.objects.filter(session_key=old).exists()
    response = client.post(import_url(), {"confirm": "1", "token": old})

    assert response["Location"] == import_url()
    assert levels(response) == [message_levels.ERROR]
    assert imported() == dict.fromkeys(NAMES, 0)
    assert client.post(import_url(), {"confirm": "1", "token": new})["Location"] == reverse("structure:person_list")
    assert imported() == dict.fromkeys(NAMES, 1)


# ---------------------------------------------------------------- at the same moment (PostgreSQL)

PARALLEL = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_parallel_confirmations_import_once(parallel_postgres):
    methodist = person_with_account("methodist", SystemRole.METHODIST)
    browser = Client()
    browser.force_login(methodist.user)
    token = preview(browser)
    session_id = browser.cookies[settings.SESSION_COOKIE_NAME].value
    before = Person.objects.count()
    barrier = threading.Barrier(PARALLEL)
    outcomes: list[tuple[int, str, list[int]]] = []
    failures: list[BaseException] = []

    def confirm() -> None:
        # Eight tabs of one browser: the same session cookie, the same token, sent at once.
        tab = Client()
        tab.cookies[settings.SESSION_COOKIE_NAME] = session_id
        try:
            barrier.wait(timeout=10)
            response = tab.post(import_url(), {"confirm": "1", "token": token})
            outcomes.append((response.status_code, response["Location"], levels(response)))
        except BaseException as error:  # reported below: an exception in a thread would vanish
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(PARALLEL)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started

    assert not failures, failures
    assert len(outcomes) == PARALLEL
    assert {(status, location) for status, location, _ in outcomes} == {(302, reverse("structure:person_list"))}
    message_counts = {
        "imported": sum(shown == [message_levels.SUCCESS] for _, _, shown in outcomes),
        "already done": sum(shown == [message_levels.WARNING] for _, _, shown in outcomes),
    }
    print(f"{PARALLEL} parallel confirmations in {elapsed:.2f} s: {message_counts}")
    assert message_counts == {"imported": 1, "already done": PARALLEL - 1}
    assert Person.objects.count() == before + len(NAMES)
    assert imported() == dict.fromkeys(NAMES, 1)
