import rules
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.conf import settings
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

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


#: Widgets filter_field writes itself; any other (radio buttons, checkbox lists, files) goes through crispy.
_PLAIN_INPUTS = {"text", "search", "number", "date", "email", "url", "tel"}


def _plain(widget) -> str | None:
    """The Bootstrap class of a widget filter_field writes itself, None for the others."""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "form-select"
    if isinstance(widget, forms.widgets.Input) and getattr(widget, "input_type", None) in _PLAIN_INPUTS:
        return "form-control"
    return None


def _classes(widget, css: str) -> str:
    """The widget's class attribute as crispy's crispy_field makes it: its own, the widget's name (lower case, through
    CRISPY_CLASS_CONVERTERS) unless already in it, then Bootstrap's classes not yet there."""
    name = widget.__class__.__name__.lower()
    name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(name, name)
    classes = widget.attrs.get("class", "")
    classes = (f"{classes} {name}" if name not in classes else classes) if classes else name
    for part in css.split():
        if part not in classes.split():
            classes += " " + part
    return classes


@register.filter
def filter_field(field) -> str:
    """`{{ field|filter_field }}`: a list filter's field as crispy-bootstrap5 writes it (the same markup: wrapper
    `div_id_…`, label, Bootstrap's class on the widget, `is-invalid` and the errors, the help text, the required
    mark) without crispy's templates, which cost 3-4 ms a field on every list page; other widgets go to crispy."""
    css = _plain(field.field.widget)
    if field.is_hidden or css is None:
        return as_crispy_field(field)
    if field.errors:
        css += " is-invalid"
    widget = field.as_widget(attrs={"class": _classes(field.field.widget, css)})
    required = field.field.required
    mark = mark_safe('<span class="asteriskField">*</span>') if required else ""  # noqa: S308 — a constant
    label_class = " requiredField" if required else ""
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, e) for n, e in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, mark_safe(field.help_text)
        )  # noqa: S308 — crispy shows it |safe too
    if css.startswith("form-check"):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}<label for="{}" class="form-check-label{}">{}{}</label>{}{}</div></div>',
            field.auto_id, widget, field.id_for_label, label_class, field.label, mark, errors, help_text,
        )  # fmt: skip
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label{}">{}{}</label>', field.id_for_label, label_class, field.label, mark
        )
    return format_html('<div id="div_{}" class="mb-3">{}{}{}{}</div>', field.auto_id, label, widget, errors, help_text)
