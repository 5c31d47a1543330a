"""The main window: composition of the tabs and widgets, its menus, the classify throttle, Help."""
