"""Discreet: ask, summarize and classify your own documents, fully offline."""

__version__ = "0.1.0"
