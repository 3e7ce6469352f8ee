"""Running notebooks into client reports: execution, HTML export, index pages.

The runner knows notebooks and files, not business rules.
"""

import sys

# nbformat imports jsonschema, whose optional IRI format checker (rfc3987_syntax, pulled in by jupyterlab's
# dependencies) builds its parsers at import: about a second in every process that touches nbformat. Notebooks
# never use IRI formats, so the runner goes without it; jsonschema treats the module as not installed.
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
