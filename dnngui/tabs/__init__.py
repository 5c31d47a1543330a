"""One module (or folder) per tab, named as the README names the tab."""
