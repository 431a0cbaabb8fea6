"""The person's notifications: the list (newest first, unread marked), marking read, and which kinds come by
e-mail (metodservice.common.notifications)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from .common import notifications
from .common.models import EmailOptOut, Notification, NotificationKind
from .common.viewtools import page


class EmailKindsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=gettext_lazy("Send me by e-mail"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Whatever you switch off still shows in the portal's list."),
    )


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    found = page(request, Notification.objects.filter(user=request.user).order_by("-created_at", "-pk"))
    off = set(EmailOptOut.objects.filter(user=request.user).values_list("kind", flat=True))
    form = EmailKindsForm(initial={"kinds": [kind for kind in NotificationKind.values if kind not in off]})
    return render(
        request,
        "notifications/list.html",
        {"page": found, "form": form, "has_email": bool(request.user.email)},
    )


@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one read and follow it (its page), or stay on the list when it leads nowhere."""
    found = Notification.objects.filter(user=request.user, pk=pk).first()
    if found is None:
        return redirect("notifications")
    notifications.mark_read(request.user, pk)
    return redirect(found.url if found.url.startswith("/") else "notifications")


@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = notifications.mark_read(request.user)
    messages.success(request, _("Notifications marked read: %(n)s.") % {"n": marked})
    return redirect("notifications")


@require_POST
def notification_email(request: HttpRequest) -> HttpResponse:
    form = EmailKindsForm(request.POST)
    if form.is_valid():
        notifications.set_email_kinds(request.user, form.cleaned_data["kinds"])
        messages.success(request, _("Your e-mail settings are saved."))
    else:
        messages.error(request, _("The e-mail settings were not saved: choose from the list."))
    return redirect("notifications")
