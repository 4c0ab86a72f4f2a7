"""Each fixed list has one home, talkingmoves/vocabulary: a label typed again anywhere else in
product code is a second spelling, and the two will drift apart.

What counts as a second spelling of a label:
- in Python, a string constant equal to it (any case: "in person" re-spells "In person"), or,
  for a label of three or more words, one that contains it as a phrase (a message quoting an
  answer). Docstrings are prose about the code and are not read; comments never reach `ast`.
- in a template, a piece of text or an attribute value that is the label, or contains a label
  of three or more words, once template tags, variables and comments are taken out.

Labels of one ordinary English word that the code also uses in another sense (ORDINARY_WORDS:
"cost" is a field, "Running" a feed's state) are not looked for. Nor are labels of fewer than
three letters (a WSAS score of "3", iCal's "MO"): too short to tell from other text.

Product code reads a list through its members (`DeliveryMode.ONLINE.label`) or its choices.
"""

import ast
import enum
import importlib
import pkgutil
import re
from pathlib import Path

from django.db import models

import talkingmoves.vocabulary

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("providers", "referrals", "outcomes", "talkingmoves", "templates")
NOT_PRODUCT = ("talkingmoves/vocabulary/",)  # the lists' home; migrations are skipped too
# Files that are not read at all, and why.
EXCLUDED = {
    "talkingmoves/settings/": "configuration, no words shown to anyone",
}
# Labels a file may spell, and why.
ALLOWED = {
    ("referrals/records/forms.py", "In a group"): "the question names its two answers",
    ("providers/open_data/oruk.py", "Online"): "part of published ids, which must never change",
    ("templates/providers/activity_detail.html", "Not stated"): "no tags, not an ethnic category",
    ("templates/outcomes/_risk_banner.html", "Not at all"): "risk guidance quotes the answer",
    ("templates/outcomes/measure_detail.html", "Not at all"): "risk guidance quotes the answer",
    ("templates/outcomes/risk_flag_review.html", "Not at all"): "risk guidance quotes the answer",
    ("referrals/nudges/models.py", "No longer needed"): "a message's status, not a referral's",
    ("outcomes/dashboards/lead/measures/engagement.py", "Missed"): "a key: missed appointments",
    ("outcomes/services/appointment_facts.py", "Missed"): "a key: missed appointments",
    ("outcomes/plans/forms.py", "Confidence"): "the conversation's confidence field",
    ("outcomes/plans/presenters.py", "Confidence"): "the conversation's confidence field",
    ("outcomes/plans/receivers.py", "Confidence"): "the conversation's confidence field",
    ("outcomes/plans/services.py", "Confidence"): "the conversation's confidence field",
    ("outcomes/plans/selectors.py", "Confidence"): "the conversation's confidence field",
    ("outcomes/plans/record_html.py", "Confidence"): "the conversation's confidence field",
    ("templates/outcomes/plans/conversation.html", "In a group"): "the prompt names its answers",
    ("outcomes/plans/models.py", "Walking"): "a plan activity's stored key, lower case",
}
# One-word labels that are also everyday words here in another sense, and that sense.
ORDINARY_WORDS = {
    "attended": "an outcomes appointment's attendance (the NHS Talking Therapies data set's)",
    "cancelled": "a message's or an outcomes appointment's status",
    "cost": "the cost field, column and search parameter",
    "email": "email address fields",
    "free": "the free column and field, a price of nothing",
    "group": "a dashboard's comparison group, an HTML role",
    "running": "a feed harvest that has not finished",
    "time": "a log line's timestamp field",
}
PHRASE_WORDS = 3  # a label this long is looked for inside longer text too


def _strings(value):
    """Every label a vocabulary value holds: choices' labels, StrEnum members, strings, and
    what lists and tuples of them hold; of a (value, label) pair, the label only."""
    if isinstance(value, type) and issubclass(value, models.Choices):
        yield from (str(label) for label in value.labels)
    elif isinstance(value, models.Choices):
        yield str(value.label)
    elif isinstance(value, type) and issubclass(value, enum.StrEnum):
        yield from (member.value for member in value)
    elif isinstance(value, str):
        yield value
    elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        yield from _strings(value[1])  # ("0", "Not at all"), (4, Severity.MINIMAL)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def vocabulary() -> dict[str, str]:
    """label (lower case) -> where it is defined, for every label the vocabulary exports."""
    labels = {}
    package = talkingmoves.vocabulary
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", module.__name__) not in (
                module.__name__,
                "builtins",
            ):
                continue  # private, or imported from elsewhere
            for label in _strings(value):
                labels.setdefault(label.strip().lower(), f"{info.name}.{name}")
    return labels


def is_looked_for(label: str) -> bool:
    return len(re.findall(r"[a-z]", label)) >= 3 and label not in ORDINARY_WORDS


def _phrase(label: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(label)}(?![\w-])", re.IGNORECASE)


def _matches(text: str, labels) -> list[tuple[int, str]]:
    """(offset in text, label) for each label the text is, or holds as a long phrase."""
    plain = " ".join(text.split()).lower()
    found = []
    for label in labels:
        if plain == label:
            found.append((len(text) - len(text.lstrip()), label))
        elif len(label.split()) >= PHRASE_WORDS and (match := _phrase(label).search(text)):
            found.append((match.start(), label))
    return found


def _docstrings(tree) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def python_spellings(source: str, labels) -> list[tuple[int, str]]:
    """(line, label) for each string constant that spells a label."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return sorted(
        (node.lineno, label)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        for _, label in _matches(node.value, labels)
    )


_TEMPLATE_SYNTAX = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.DOTALL)
_TAG = re.compile(r"<[^>]*>", re.DOTALL)
_ATTRIBUTE_VALUE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")


def _blank(match: re.Match) -> str:
    return re.sub(r"[^\n]", "\0", match.group())


def _blank_tag(match: re.Match) -> str:
    """A tag blanked out but for its attribute values, which people read (alt, title)."""
    tag = match.group()
    keep = set()
    for value in _ATTRIBUTE_VALUE.finditer(tag):
        keep.update(range(*value.span(1 if value.group(1) is not None else 2)))
    return "".join(c if i in keep or c == "\n" else "\0" for i, c in enumerate(tag))


def template_spellings(text: str, labels) -> list[tuple[int, str]]:
    """(line, label) for each piece of template text that spells a label."""
    # Blanking keeps every character's place, so offsets in `masked` are offsets in `text`.
    masked = _TAG.sub(_blank_tag, _TEMPLATE_SYNTAX.sub(_blank, text))
    return [
        (text.count("\n", 0, piece.start() + offset) + 1, label)
        for piece in re.finditer(r"[^\0]+", masked)
        for offset, label in _matches(piece.group(), labels)
    ]


def product_files() -> list[Path]:
    files = []
    for top in PRODUCT:
        for path in sorted((ROOT / top).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if (
                path.suffix in (".py", ".html", ".txt")
                and "/migrations/" not in f"/{relative}"
                and not relative.startswith((*NOT_PRODUCT, *EXCLUDED))
            ):
                files.append(path)
    return files


def second_spellings(labels) -> list[tuple[str, int, str]]:
    """(file, line, label) for every label of `labels` spelled in product code."""
    looked_for = [label for label in labels if is_looked_for(label)]
    found = []
    for path in product_files():
        text = path.read_text(encoding="utf-8")
        finder = python_spellings if path.suffix == ".py" else template_spellings
        relative = path.relative_to(ROOT).as_posix()
        found += [(relative, line, label) for line, label in finder(text, looked_for)]
    return found


def test_no_label_of_a_vocabulary_list_is_spelled_a_second_time():
    labels = vocabulary()
    allowed = {(where, label.lower()) for where, label in ALLOWED}
    found = second_spellings(labels)
    wrong = [
        f"{where}:{line}: '{label}' is a label in {labels[label]}"
        for where, line, label in found
        if (where, label) not in allowed
    ]
    assert not wrong, "Use the list's members instead:\n" + "\n".join(wrong)
    # Each exception is still needed, and each ordinary word is still a label.
    assert allowed <= {(where, label) for where, _, label in found}
    assert set(ORDINARY_WORDS) <= set(labels)


def test_every_vocabulary_module_has_labels_that_are_looked_for():
    labels = vocabulary()
    modules = {where.split(".")[0] for label, where in labels.items() if is_looked_for(label)}
    expected = {info.name for info in pkgutil.iter_modules(talkingmoves.vocabulary.__path__)}
    assert modules == expected
    # The walk really reaches product code: a wrong path would make the check pass vacuously.
    assert len(product_files()) > 200


LABELS = ["step-free access", "i went", "stop these messages", "more than half the days"]


def test_a_constant_spelling_a_label_is_found_with_its_line():
    source = 'CHOICES = [\n    ("step_free", "Step-free access"),\n]\nWHY = "in person"\n'
    assert python_spellings(source, [*LABELS, "in person"]) == [
        (2, "step-free access"),
        (4, "in person"),
    ]


def test_a_long_label_is_found_inside_a_message():
    source = 'BODY = "Tap Stop these messages to stop."\nHINT = "I went there"\n'
    assert python_spellings(source, LABELS) == [(1, "stop these messages")]


def test_docstrings_comments_and_other_words_are_not_second_spellings():
    source = (
        '"""Answers: "I went", "Stop these messages"."""\n'
        "def f():\n"
        '    """Step-free access."""\n'
        '    return "Step-free"  # "I went"\n'
    )
    assert python_spellings(source, LABELS) == []


def test_a_label_typed_in_a_template_is_found_but_not_one_from_a_variable():
    text = (
        "{% load tags %}\n"
        "<dl>\n"
        "  <dt>{{ feature.label }}</dt>\n"
        '  <dd title="Step-free access">\n'
        "    I went\n"
        "  </dd>\n"
        "  <p>More than half the days, {# Stop these messages #} roughly.</p>\n"
        "</dl>\n"
    )
    assert template_spellings(text, LABELS) == [
        (4, "step-free access"),
        (5, "i went"),
        (7, "more than half the days"),
    ]


def test_ordinary_words_and_numbers_are_not_looked_for():
    assert not is_looked_for("cost")
    assert not is_looked_for("3")
    assert not is_looked_for("mo")
    assert is_looked_for("one-to-one")
    assert is_looked_for("pilates")
