"""HTML export of executed notebooks: no code, no injected parameters, no stderr, charts embedded, no CDN.

Pages are built on nbconvert's ``basic`` template (the cells only) inside the kit's own page
(``templates/bpo_report``): a stylesheet of a few KB instead of JupyterLab's, no scripts, and a table of contents
made by the template from the page's section headings.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

import nbformat

from .. import style

if TYPE_CHECKING:  # nbconvert is imported when a page is exported: the index pages need only the stylesheet
    from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).parent / "templates"
REMOVE_CELL_TAGS = {"parameters", "injected-parameters", "remove_cell"}


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The CSS of every page the kit writes: the palette and fonts of ``bpo_kit.style``, then ``report.css``."""
    return style.css_variables() + "\n" + (TEMPLATES / "bpo_report" / "report.css").read_text(encoding="utf-8")


def section_heading(line: str) -> dict[str, str] | None:
    """A ``## heading`` line as the table of contents needs it: the id nbconvert gives the rendered heading
    (rendered by the same markdown renderer, so the link lands on it) and its text without markup."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    try:
        heading = ElementTree.fromstring(markdown2html_mistune(line).strip())
    except ElementTree.ParseError:
        return None
    anchor = heading.find("a")
    if anchor is not None:
        heading.remove(anchor)
    if heading.tag != "h2" or not heading.get("id"):
        return None
    return {"id": heading.get("id", ""), "text": "".join(heading.itertext()).strip()}


@lru_cache(maxsize=1)
def exporter() -> HTMLExporter:
    """One exporter per process: building it parses the templates, which is the slow part."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = REMOVE_CELL_TAGS
    c.TagRemovePreprocessor.remove_all_outputs_tags = {"remove_output"}
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    exp = HTMLExporter(config=c, extra_template_basedirs=[str(TEMPLATES)], template_name="bpo_report")
    exp.register_filter("section_heading", section_heading)
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
    """The client-ready HTML of an executed notebook; ``title`` (client text) is isolated and escaped."""
    nb = clean(nb)
    nb.metadata["title"] = style.isolated(title)
    body, _ = exporter().from_notebook_node(nb, resources={"bpo_stylesheet": stylesheet()})
    return body
