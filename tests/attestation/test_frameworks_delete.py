"""Deleting a competency framework: only one no campaign has used (its scores keep their meaning), never the last
one, after a confirmation page; a copy keeps its tree when the framework it was copied from goes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from attestation.models import Competency, CompetencyFramework
from attestation.services import frameworks as services
from tests.attestation.test_frameworks_pages import default, freeze
from tests.world import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.world]

DAY = datetime.date(2030, 10, 1)


def delete_url(framework: CompetencyFramework) -> str:
    return reverse("attestation:framework_delete", kwargs={"pk": framework.pk})


def test_the_methodist_confirms_and_deletes_a_copy_made_by_mistake(world):
    copy = services.framework_copy(framework=default(), by=world.people["methodist"])
    client = client_for(world, "methodist")
    detail = client.get(copy.get_absolute_url()).content.decode()
    assert delete_url(copy) in detail
    confirm = client.get(delete_url(copy))
    assert confirm.status_code == 200
    assert CompetencyFramework.objects.filter(pk=copy.pk).exists()  # GET only asks
    assert "Удалить модель компетенций" in confirm.content.decode()
    response = client.post(delete_url(copy), follow=True)
    assert response.redirect_chain[-1][0] == reverse("attestation:framework_list")
    assert not CompetencyFramework.objects.filter(pk=copy.pk).exists()
    assert not Competency.objects.filter(framework_id=copy.pk).exists()
    assert Competency.objects.filter(framework=default()).count() == 22  # the original untouched


def test_a_framework_used_in_a_campaign_is_kept(world):
    framework = default()
    services.framework_copy(framework=framework, by=world.people["methodist"])  # not the last one
    freeze(framework, DAY)
    with pytest.raises(ValidationError) as refused:
        services.framework_delete(framework=framework)
    assert refused.value.code == "framework_in_use"
    client = client_for(world, "methodist")
    assert delete_url(framework) not in client.get(framework.get_absolute_url()).content.decode()
    response = client.post(delete_url(framework))
    assert response.status_code == 302 and response["Location"] == framework.get_absolute_url()
    assert CompetencyFramework.objects.filter(pk=framework.pk).exists()


def test_the_last_framework_is_kept(world):
    framework = default()
    CompetencyFramework.objects.exclude(pk=framework.pk).delete()
    with pytest.raises(ValidationError) as refused:
        services.framework_delete(framework=framework)
    assert refused.value.code == "last_framework"
    response = client_for(world, "deputy").post(delete_url(framework), follow=True)
    assert CompetencyFramework.objects.filter(pk=framework.pk).exists()
    assert "единственная модель компетенций" in response.content.decode()


def test_a_copy_keeps_its_tree_when_its_original_goes(world):
    original = services.framework_copy(framework=default(), by=world.people["methodist"])
    copy = services.framework_copy(framework=original, by=world.people["methodist"])
    services.framework_delete(framework=original)
    copy.refresh_from_db()
    assert copy.based_on is None and copy.competencies.count() == 22


@pytest.mark.parametrize("role", ["teacher", "mo_head", "director"])
def test_others_cannot_delete(world, role):
    copy = services.framework_copy(framework=default(), by=world.people["methodist"])
    assert client_for(world, role).post(delete_url(copy)).status_code == 403
    assert CompetencyFramework.objects.filter(pk=copy.pk).exists()
