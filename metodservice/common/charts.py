"""Charts as SVG (pygal), the same markup in the page and in the PDF: the portal's style and `self_contained`.

pygal styles its SVG with a `<style>` element and writes its configuration into a `<script>`; the portal's CSP
(`style-src 'self'`, `script-src 'self'`) would block both in a page. So each chart is rendered without JavaScript
(`js=[]`, no XML declaration) and then made self-contained: the rules of its style sheet are applied to the elements
as SVG presentation attributes (fill, stroke, font-size…, in the cascade's order: tinycss2 and cssselect2, which
WeasyPrint already brings), and the `<style>` and `<script>` elements are removed. The result is plain inline SVG
that needs nothing from outside, with role="img" and a label; the numbers are always in a table beside it.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import cssselect2
import tinycss2
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

SVG_NS = "http://www.w3.org/2000/svg"

#: The CSS properties that SVG also takes as presentation attributes (those pygal's style sheets use).
PRESENTATION = {
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-opacity",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "display",
    "visibility",
}

#: Self-assessment and the experts' median; then the lines of the dynamics (colour-blind friendly, Okabe–Ito).
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
#: Elements that are never drawn (descriptions, titles, metadata): presentation attributes are invalid on them.
NOT_RENDERED = {"desc", "title", "metadata"}
FONT = "'Liberation Sans', 'PT Sans', Arial, sans-serif"


def style() -> Style:
    return Style(
        background="transparent",
        plot_background="#ffffff",
        foreground="#212529",
        foreground_strong="#000000",
        foreground_subtle="#6c757d",
        opacity=".25",
        opacity_hover=".25",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        stroke_width="2",
        stroke_width_hover="2",
        colors=COLOURS,
        font_family=FONT,
        label_font_family=FONT,
        major_label_font_family=FONT,
        legend_font_family=FONT,
        title_font_family=FONT,
        value_font_family=FONT,
        value_label_font_family=FONT,
        tooltip_font_family=FONT,
        no_data_font_family=FONT,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=13,
        no_data_font_size=18,
        transition="0s",
        guide_stroke_color="#adb5bd",
        major_guide_stroke_color="#6c757d",
    )


def config(**options) -> dict:
    """pygal's options for a chart of the portal: no JavaScript, no XML declaration, the portal's style, the legend
    at the bottom; `options` add or override."""
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": style(),
        "show_legend": True,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 2,
        "explicit_size": False,
        **options,
    }


#: How many charts each process keeps (the figures a page shows again, across users).
CHARTS_KEPT = 256


def _frozen(value):
    """A hashable copy of a chart's argument (lists and tuples, nested, become tuples)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value


def kept(draw: Callable[..., SafeString]) -> Callable[..., SafeString]:
    """`draw`, keeping its last CHARTS_KEPT results by their arguments (all keyword ones, hashable once lists are
    made tuples): drawing a chart (pygal, then self_contained) costs 20–200 ms, and a chart is a pure function of
    its numbers and labels."""

    @functools.lru_cache(maxsize=CHARTS_KEPT)
    def drawn(arguments: tuple) -> SafeString:
        return draw(**dict(arguments))

    @functools.wraps(draw)
    def chart(**arguments) -> SafeString:
        return drawn(tuple(sorted((name, _frozen(value)) for name, value in arguments.items())))

    chart.cache_clear = drawn.cache_clear  # type: ignore[attr-defined]
    return chart


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _declarations(rule) -> list[tuple[str, str]]:
    result = []
    for declaration in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
        if declaration.type != "declaration":
            continue
        name = declaration.lower_name
        if name in PRESENTATION:
            result.append((name, tinycss2.serialize(declaration.value).strip()))
    return result


@functools.lru_cache(maxsize=16)
def _matcher(sheet: str) -> cssselect2.Matcher:
    """The rules of a style sheet that SVG takes as presentation attributes, compiled (kept per process: only
    matching reads it)."""
    matcher = cssselect2.Matcher()
    for rule in tinycss2.parse_stylesheet(sheet, skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            continue
        declarations = _declarations(rule)
        if not declarations:
            continue
        try:
            selectors = cssselect2.compile_selector_list(rule.prelude)
        except cssselect2.SelectorError:  # :hover and the like: nothing to print
            continue
        for selector in selectors:
            if selector.pseudo_element is None:
                matcher.add_selector(selector, declarations)
    return matcher


def self_contained(svg: str, *, label: str) -> SafeString:
    """pygal's SVG with its style sheet applied as presentation attributes, without `<style>` and `<script>`, with
    role="img" and `label` as its accessible name."""
    root = ET.fromstring(svg)
    css = []
    for parent in list(root.iter()):
        for child in list(parent):
            if _tag(child) == "style":
                css.append(child.text or "")
                parent.remove(child)
            elif _tag(child) == "script":
                parent.remove(child)
    # pygal scopes its rules by the chart's own id (`#chart-<uuid>`): with the id made the same for every chart while
    # matching, charts of one style share one compiled style sheet (parsing it was 45 ms of each chart).
    chart_id = root.get("id")
    sheet = "\n".join(css)
    if chart_id:
        sheet = sheet.replace(chart_id, "chart")
        root.set("id", "chart")
    matcher = _matcher(sheet)
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        element = wrapper.etree_element
        if _tag(element) in NOT_RENDERED:  # pygal's tooltip texts: SVG allows no presentation attribute there
            continue
        inline = element.attrib.pop("style", None)
        matches = sorted(matcher.match(wrapper), key=lambda match: (match[0], match[1]))
        for _specificity, _order, _pseudo, declarations in matches:
            for name, value in declarations:
                element.set(name, value)
        if inline:  # pygal's own style="opacity: 0" and the like: the strongest, as in CSS
            for part in inline.split(";"):
                name, _, value = part.partition(":")
                if name.strip() in PRESENTATION:
                    element.set(name.strip(), value.strip())
    if chart_id:
        root.set("id", chart_id)
    for element in root.iter():
        if _tag(element) == "title" and element.text == "Pygal":
            element.text = label
        # The legend's «activate-serie-N», the same in every chart, serve only pygal's JavaScript (dropped): a page
        # with several charts would repeat them.
        if element.get("id", "").startswith("activate-serie-"):
            del element.attrib["id"]
    root.set("role", "img")
    root.set("aria-label", label)
    root.set("focusable", "false")
    ET.register_namespace("", SVG_NS)  # again: another registration of the prefix may have come since the import
    text = ET.tostring(root, encoding="unicode")
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    return mark_safe(text)  # noqa: S308 — built from pygal's markup; labels are escaped by ElementTree
