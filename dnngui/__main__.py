"""The ``dnngui`` command: with no arguments it opens the app; the sub-commands in
``dnngui.COMMANDS`` run headless (no Qt is imported for them)."""

import sys

from dnngui import COMMANDS


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        from dnngui.cli import main as cli_main

        return cli_main(argv)
    if argv and not argv[0].startswith("-"):  # a mistyped command must not open the window
        choices = ", ".join(COMMANDS)
        sys.stderr.write(f"dnngui: unknown command {argv[0]!r} (choose from {choices}; none opens the app)\n")
        return 2
    from dnngui.noqt.display import display_problem

    problem = display_problem()
    if problem:
        sys.stderr.write(f"dnngui: {problem}\n")
        return 2
    from dnngui.window.main_window import run

    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
