"""Read pages as a browser and a reader do: the form's fields as it would post them, and the visible text."""

import re
from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields of the page's own <form method="post"> (the first without an action, or the one with the
    given action), as a browser would post them."""

    def __init__(self, action=None):
        super().__init__(convert_charrefs=True)
        self.action, self.fields, self.inputs = action, {}, {}
        self.in_form = self.done = False
        self.textarea = self.select = None
        self.option_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and not self.done and attrs.get("method") == "post":
            self.in_form = attrs.get("action") == self.action
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            self.inputs[name] = attrs
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
            elif attrs.get("type") != "submit":
                self.fields[name] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea, self.fields[name] = name, ""
            self.inputs[name] = attrs
        elif tag == "select" and name:
            self.select = name
            self.inputs[name] = attrs
        elif tag == "option" and self.select:
            self.option_value = attrs.get("value")
            if "selected" in attrs or self.select not in self.fields:
                self.fields[self.select] = attrs.get("value")

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None

    def handle_data(self, data):
        if self.in_form and self.textarea:
            # Django writes a newline after <textarea>, which browsers drop.
            self.fields[self.textarea] += data.removeprefix("\n") if not self.fields[self.textarea] else data


def form_fields(response, action=None):
    """What a browser would post from the page's form, and each field's attributes."""
    reader = FormReader(action)
    reader.feed(response.content.decode())
    return reader.fields, reader.inputs


class TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.chunks.append(data)


def text(response):
    """The page's visible text with whitespace collapsed (no-break spaces kept, as in "1 234,5")."""
    reader = TextReader()
    reader.feed(response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", " ".join(reader.chunks)).strip()
