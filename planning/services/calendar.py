"""The personal calendar feed's secret token."""

from __future__ import annotations

from django.db import transaction

from ..models import CalendarToken


@transaction.atomic
def calendar_token_for(*, user, renew: bool = False) -> CalendarToken:
    token, created = CalendarToken.objects.get_or_create(user=user)
    if renew and not created:
        token.delete()
        token = CalendarToken.objects.create(user=user)
    return token
