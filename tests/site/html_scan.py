"""A small reader of the built HTML: ids, links, resources and visible text of a page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# content whose text is not prose: code, scripts, styles, math already rendered as MathML, and the hidden
# copy of each notebook cell's source that mkdocs-jupyter keeps for its copy button
SKIP_TEXT = {"script", "style", "pre", "code", "math", "textarea", "svg"}
SKIP_CLASSES = {"clipboard-copy-txt"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)  # <a href>
    resources: list[tuple[str, str]] = field(default_factory=list)  # (tag, url) the browser loads
    text: list[str] = field(default_factory=list)  # prose text, entities kept as written
    styles: list[str] = field(default_factory=list)  # inline <style> contents
    math: int = 0
    images: list[str] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.page = Page()
        self.stack: list[tuple[str, bool]] = []  # (tag, whether its text is prose)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key) and (key == "id" or tag == "a"):
                self.page.ids.add(a[key])
        if tag == "a" and a.get("href") is not None:
            self.page.links.append(a["href"])
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.page.resources.append((tag, a["src"]))
        if tag == "link" and a.get("href"):
            self.page.resources.append((f"link rel={a.get('rel')}", a["href"]))
        if tag == "img":
            self.page.images.append(a.get("src", ""))
        if tag == "math":
            self.page.math += 1
        if tag not in VOID:
            prose = tag not in SKIP_TEXT and not SKIP_CLASSES.intersection((a.get("class") or "").split())
            self.stack.append((tag, prose and (not self.stack or self.stack[-1][1])))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if any(t == tag for t, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if self.stack and self.stack[-1][0] == "style":
            self.page.styles.append(data)
        if not self.stack or self.stack[-1][1]:
            self.page.text.append(data)

    def handle_entityref(self, name):
        self.handle_data(f"&{name};")

    def handle_charref(self, name):
        self.handle_data(f"&#{name};")


def parse(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.page


# TeX a reader would see unrendered: $$..$$, \(..\), \[..\], $..$ around a TeX-looking formula
RAW_TEX = re.compile(
    r"\$\$.+?\$\$|\\\(.+?\\\)|\\\[.+?\\\]|(?<![\w$])\$[^$\s][^$\n]{0,200}?\$(?!\w)|\\(?:frac|sum|partial|sigma|mathbf)\b",
    re.DOTALL,
)
REMOTE = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)
CSS_REMOTE = re.compile(r"@import\s+(?:url\()?\s*['\"]?\s*(?:https?:)?//|url\(\s*['\"]?\s*(?:https?:)?//", re.I)
# Markdown a reader would see unrendered: *emphasis*, **strong**, `code` marks, [text](link)
RAW_MARKDOWN = re.compile(
    r"(?<![\w*\\])\*{1,2}[^*\s](?:[^*\n]{0,80}?[^*\s])?\*{1,2}(?![\w*])|(?<!\w)`[^`\n]+`|\]\([^)\s]+\)"
)
