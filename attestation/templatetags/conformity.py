"""The conformity panel of a case's page: `{% load conformity %}{% conformity_panel case %}` (filled by the
conformity work; the case page includes it for conformity cases)."""

from django import template

register = template.Library()


@register.inclusion_tag("attestation/conformity/panel.html", takes_context=True)
def conformity_panel(context, case):
    return {"case": case, "request": context.get("request")}
