"""The import layers, checked: a room may use the rooms below it, never those above.

    core (dnngui.core)        NumPy, the standard library and itself only: no Qt, no pyqtgraph, no app
    dnngui/noqt, dnngui/cli   no Qt and no pyqtgraph (the headless commands import them)
    dnngui/state, dnngui/jobs no widgets, tabs or window
    dnngui/widgets            no tabs and no window
    dnngui/tabs               no window

Every import is read from the source (including those inside functions), so a lazy import
cannot slip past. .ci/run runs this with the rest of the suite.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT = ("PySide6", "shiboken6", "pyqtgraph")
RULES = [
    ("core", (*QT, "dnngui")),  # dnngui.core itself is allowed: see violations()
    ("dnngui/noqt", QT),
    ("dnngui/cli.py", QT),
    ("dnngui/state", ("dnngui.widgets", "dnngui.tabs", "dnngui.window")),
    ("dnngui/jobs", ("PySide6.QtWidgets", "pyqtgraph", "dnngui.widgets", "dnngui.tabs", "dnngui.window")),
    ("dnngui/widgets", ("dnngui.tabs", "dnngui.window")),
    ("dnngui/tabs", ("dnngui.window",)),
]


def imported_modules(path):
    """Every module ``path`` imports, anywhere in the file, as dotted names."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def files_of(place, root=None):
    path = (root or ROOT) / place
    return [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


def violations(place, forbidden, root=None):
    found = []
    for path in files_of(place, root):
        for module in imported_modules(path):
            if module == "dnngui.core" or module.startswith("dnngui.core."):
                continue  # the engine is dnngui.core: the one part of dnngui that core/ may import
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(root or ROOT)} imports {module}")
    return found


@pytest.mark.parametrize(("place", "forbidden"), RULES, ids=[place for place, _ in RULES])
def test_no_room_imports_a_room_above_it(place, forbidden):
    assert files_of(place), f"{place} has no Python files: the rule checks nothing"
    assert violations(place, forbidden) == []


def test_a_planted_violation_is_caught(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("def f():\n    from PySide6 import QtCore\n")
    assert violations("core", QT, tmp_path) == ["core/bad.py imports PySide6", "core/bad.py imports PySide6.QtCore"]


def test_a_planted_app_import_in_core_is_caught_but_the_engine_itself_is_not(tmp_path):
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "bad.py").write_text("from dnngui.core import ink\nfrom dnngui.window import guide\n")
    assert violations("core", (*QT, "dnngui"), tmp_path) == [
        "core/bad.py imports dnngui.window",
        "core/bad.py imports dnngui.window.guide",
    ]


def test_the_app_package_keeps_its_code_in_rooms():
    loose = sorted(p.name for p in (ROOT / "dnngui").glob("*.py") if p.name not in ("__init__.py", "__main__.py"))
    assert len(loose) <= 10, loose


# The article's math reads on its own: these modules import NumPy, the standard library and one another only
# (core.step's nudge also reads a drawing as the canvas does, through core.preprocess, and Network.save
# writes through core.modelfile, imported when it is called).
MATH = ("activations", "losses", "network", "optimizers", "gradcheck", "trainer", "batches", "health", "step")
MATH_SUPPORT = ("shapes", "errors")
ALLOWED_BEYOND = {"step": ("preprocess",), "network": ("modelfile",)}


def test_the_math_imports_only_numpy_and_the_math():
    found = []
    for name in MATH:
        own = {f"dnngui.core.{m}" for m in (*MATH, *MATH_SUPPORT, *ALLOWED_BEYOND.get(name, ()))}
        for module in imported_modules(ROOT / "core" / f"{name}.py"):
            top = module.split(".")[0]
            if top == "dnngui":
                if module != "dnngui.core" and not any(module == o or module.startswith(o + ".") for o in own):
                    found.append(f"core/{name}.py imports {module}")
            elif top != "numpy" and top not in sys.stdlib_module_names:
                found.append(f"core/{name}.py imports {module}")
    assert found == []
