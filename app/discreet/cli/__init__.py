"""The command-line front end: a thin layer over the same task API as the GUI."""
