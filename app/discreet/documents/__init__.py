"""Turning files into pages of text: the first layer of the pipeline."""
