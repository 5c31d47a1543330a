"""core/ is pure NumPy: importing any of its modules must not pull in Qt, pyqtgraph or the app."""

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"


def test_importing_every_core_module_loads_no_qt_and_no_app():
    modules = sorted(f"dnngui.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
    assert "dnngui.core.ink" in modules and "dnngui.core.unipen" in modules
    code = (
        f"import sys, dnngui.core, {', '.join(modules)}\n"
        "app = [m for m in sys.modules if m.startswith('dnngui.') and not m.startswith('dnngui.core')]\n"
        "bad = sorted(app + [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')])\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
