"""The Qt front end. Everything below `discreet.gui` may import PySide6; nothing else may."""
