"""core/ is pure NumPy: importing it must not pull in Qt or pyqtgraph."""

import subprocess
import sys


def test_importing_core_loads_no_qt():
    code = (
        "import sys, core, core.data, core.trainer, core.modelfile, core.gradcheck\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
