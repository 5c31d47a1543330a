"""The ``dnngui`` command: with no arguments it opens the app."""

import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    from dnngui.app import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
