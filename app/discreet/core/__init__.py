"""Qt-free foundations shared by every layer: errors, paths, settings, offline guard."""
