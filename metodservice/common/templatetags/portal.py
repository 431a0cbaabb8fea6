import rules
from django import template

from metodservice.common.periods import format_period
from metodservice.common.qr import document_url, qr_svg

register = template.Library()


@register.simple_tag
def can(perm: str, user, obj=None) -> bool:
    """`{% can "app.perm" user obj as flag %}`: the rules predicate itself, without Django's superuser shortcut,
    so buttons show exactly what the views allow (the administrator takes no business decisions)."""
    return rules.has_perm(perm, user, obj)


@register.simple_tag
def document_qr(url_name: str, pk: int, content_hash: str) -> str:
    """`{% document_qr "structure:order_verify" order.pk order.content_hash %}`: the QR code (inline SVG) of a fixed
    document's verification link (metodservice.common.qr); nothing for a document without a hash."""
    if not content_hash:
        return ""
    return qr_svg(document_url(url_name, pk, content_hash))


@register.filter
def has_required_fields(form) -> bool:
    """`{% if form|has_required_fields %}`: the form has a visible required field (marked with an asterisk), so it
    shows the legend «* — обязательное поле» once (templates/bootstrap5/uni_form.html)."""
    return any(field.field.required for field in form.visible_fields())


@register.filter
def period(start, end) -> str:
    """`{{ start|period:end }}`: «12.10.2026 – 15.10.2026»; one date when both ends are the same day, «с …» or
    «по …» when one is missing (metodservice.common.periods)."""
    return format_period(start, end)
