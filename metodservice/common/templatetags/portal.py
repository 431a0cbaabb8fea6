import rules
from django import template

register = template.Library()


@register.simple_tag
def can(perm: str, user, obj=None) -> bool:
    """`{% can "app.perm" user obj as flag %}`: the rules predicate itself, without Django's superuser shortcut,
    so buttons show exactly what the views allow (the administrator takes no business decisions)."""
    return rules.has_perm(perm, user, obj)
