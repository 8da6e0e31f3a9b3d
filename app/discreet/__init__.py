"""Discreet: ask, summarize and classify your own documents, fully offline."""

import sys

__version__ = "0.1.0"

# Chroma imports jsonschema, which builds an IRI grammar at import wherever the optional
# rfc3987-syntax is installed (the SBOM tool's dependencies bring it into the developer
# environment, and so into the frozen app): 1.2 s of every start, for a format check
# nothing here asks for. Marked absent, jsonschema skips that check.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
