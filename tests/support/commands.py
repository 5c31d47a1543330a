"""Running the dnngui commands in-process, as a test would type them."""

import io

from dnngui.cli import main


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()
