"""HTML export of executed notebooks: no code, no injected parameters, no stderr, charts embedded, no CDN."""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from traitlets.config import Config

from .pages import add_table_of_contents

TEMPLATES = Path(__file__).parent / "templates"
REMOVE_CELL_TAGS = {"parameters", "injected-parameters", "remove_cell"}


@lru_cache(maxsize=1)
def exporter() -> HTMLExporter:
    """One exporter per process: building it parses the templates, which is the slow part."""
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output"}
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    exp = HTMLExporter(config=c, extra_template_basedirs=[str(TEMPLATES)], template_name="bpo_report")
    return exp


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy without what a client must not see: stderr streams, papermill's parameters and paths."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if not (o.output_type == "stream" and o.name == "stderr")]
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
    nb.metadata.pop("papermill", None)
    return nb


def to_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The client-ready HTML of an executed notebook."""
    nb = clean(nb)
    nb.metadata["title"] = title
    body, _ = exporter().from_notebook_node(nb)
    return add_table_of_contents(body)
