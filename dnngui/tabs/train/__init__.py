"""The Train tab: its settings form, the live cost plot, and the tab itself."""
