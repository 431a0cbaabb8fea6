"""The suggestions for a person's deficits on the results page: `{% load suggestions %}{% deficit_suggestions
participant %}` (filled by the suggestions work; the profile page includes it)."""

from django import template

register = template.Library()


@register.inclusion_tag("attestation/suggestions/panel.html", takes_context=True)
def deficit_suggestions(context, participant):
    return {"participant": participant, "request": context.get("request")}
