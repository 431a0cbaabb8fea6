"""The forms of a page as a browser submits them: the load run (bench/locustfile.py) writes through the portal's real
forms, with their CSRF token and the values the page shows."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
#: The report of an item the load run marks as executed.
REPORT = "Выполнено (нагрузочный тест)"


class _Forms(HTMLParser):
    """The POST forms of a page: their action and their fields' submitted values, as a browser would send them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, bool] | None = None
        self._options: list[tuple[str, bool]] = []
        self._option: list | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = {"action": values.get("action", ""), "method": values.get("method", "get").lower()}
            self._form["fields"] = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = values.get("name")
        if tag == "input" and name and "disabled" not in values:
            kind = values.get("type", "text").lower()
            if kind in {"submit", "button", "reset", "file", "image"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in values:
                return
            self._form["fields"].append((name, values.get("value", "on" if kind in {"checkbox", "radio"} else "")))
        elif tag == "select" and name:
            self._select, self._options = (name, "multiple" in values), []
        elif tag == "option" and self._select is not None:
            self._option = [values.get("value"), "selected" in values, ""]
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)
        if self._option is not None:
            self._option[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._option is not None:
            value, selected, text = self._option
            self._options.append((text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            self._form["fields"] += [(name, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form = None


def form_fields(html: str, url: str) -> list[tuple[str, str]] | None:
    """The fields of the page's POST form that posts to `url` itself (not the logout form of the menu)."""
    parser = _Forms()
    parser.feed(html)
    path = urlsplit(url).path
    for form in parser.forms:
        if form["method"] == "post" and urlsplit(form["action"]).path in {"", path}:
            return form["fields"]
    return None


def fill(kind: str, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What the user changes: an item marked (its status as the form proposes) needs a report; the others are
    saved as they are."""
    if kind == "mark_item" and not any(name == "report" and value.strip() for name, value in fields):
        fields = [(name, value) for name, value in fields if name != "report"] + [("report", REPORT)]
    return fields
