"""Cutting page text into spans sized for the embedder: the second layer."""
