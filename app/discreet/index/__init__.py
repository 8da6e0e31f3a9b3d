"""Storing chunks and finding them again: the third layer."""
