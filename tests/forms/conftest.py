from html.parser import HTMLParser

import pytest
from django.template import Context, Template


def render_template(source, **context):
    return Template("{% load crispy_forms_tags nhsuk_forms %}" + source).render(Context(context))


@pytest.fixture
def render():
    """render(form) -> the HTML of {% crispy form %}; render(form, "template") for anything else."""

    def _render(form=None, source="{% crispy form %}", **context):
        return render_template(source, form=form, **context)

    return _render


VOID = {"input", "br", "img", "hr", "meta", "link"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag = tag
        self.attrs = {name: "" if value is None else value for name, value in attrs}
        self.parent = parent
        self.children = []
        self.content = []  # text and child nodes, in document order

    @property
    def classes(self):
        return self.attrs.get("class", "").split()

    @property
    def text(self):
        parts = [item if isinstance(item, str) else item.text for item in self.content]
        return " ".join(" ".join(parts).split())

    def descendants(self):
        for child in self.children:
            yield child
            yield from child.descendants()

    def select(self, tag=None, class_=None, **attrs):
        """Elements under this one with the tag, a class among their classes, and attributes
        (underscores in names become hyphens; True means present with any value)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            node
            for node in self.descendants()
            if (tag is None or node.tag == tag)
            and (class_ is None or class_ in node.classes)
            and all(
                name in node.attrs if value is True else node.attrs.get(name) == value
                for name, value in wanted.items()
            )
        ]

    def one(self, tag=None, class_=None, **attrs):
        found = self.select(tag, class_, **attrs)
        assert len(found) == 1, f"expected one {tag} {class_} {attrs}, found {len(found)}"
        return found[0]

    def closest(self, tag=None, class_=None):
        node = self.parent
        while node is not None:
            if (tag is None or node.tag == tag) and (class_ is None or class_ in node.classes):
                return node
            node = node.parent
        return None

    def by_id(self, id_):
        return self.one(id=id_)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("document", [], None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        self.current.content.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"unexpected </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.content.append(data)


def parse(html):
    builder = _TreeBuilder()
    builder.feed(str(html))
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


@pytest.fixture
def page():
    """page(html) -> a parsed document to query with .select(), .one() and .by_id()."""
    return parse
