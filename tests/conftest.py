"""Test set-up shared by every test: Qt offscreen, no display needed."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
