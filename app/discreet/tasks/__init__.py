"""What users come for: ask, summarize, classify, extract. One API for CLI and GUI."""
