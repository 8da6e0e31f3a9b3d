"""PowerPoint (.pptx) through python-pptx: one page per slide, numbered as the deck is.

A slide's words are spread over shapes, tables and groups of shapes, and often the
most useful ones are in the speaker notes; all of them go on the slide's page, title
first and notes last, so a citation says "slide 4" and the user finds it there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pptx
from pptx.exc import PythonPptxError
from pptx.shapes.autoshape import Shape
from pptx.shapes.base import BaseShape
from pptx.shapes.graphfrm import GraphicFrame
from pptx.slide import Slide

from discreet.core.errors import CorruptDocument, error_detail
from discreet.documents.detect import OFFICE_DAMAGE
from discreet.documents.model import LoadedDocument, Page

_DAMAGE = (PythonPptxError, *OFFICE_DAMAGE)


def load_pptx(path: Path) -> LoadedDocument:
    """A page per slide: its title, other shapes, tables and chart titles, then its notes.
    Titled from the deck's properties, else its first slide; `CorruptDocument` if damaged."""
    try:
        deck = pptx.Presentation(str(path))
        pages = [Page(number, _slide_text(slide)) for number, slide in enumerate(deck.slides, 1)]
        title = (deck.core_properties.title or "").strip()
        first = deck.slides[0].shapes.title if pages else None
    except _DAMAGE as err:
        raise CorruptDocument(path, error_detail(err)) from err
    if not title and first is not None and first.has_text_frame:
        title = " ".join(first.text_frame.text.split())
    return LoadedDocument(kind="pptx", title=title or path.stem, pages=pages)


def _slide_text(slide: Slide) -> str:
    title = slide.shapes.title
    parts = [_text(title)] if title is not None else []
    skip = title.shape_id if title is not None else None
    parts += [_text(shape) for shape in _shapes(slide) if shape.shape_id != skip]
    if slide.has_notes_slide and slide.notes_slide.notes_text_frame is not None:
        notes = _clean(slide.notes_slide.notes_text_frame.text)
        if notes:
            parts.append(f"Notes: {notes}")
    return "\n\n".join(part for part in parts if part)


def _shapes(slide: Slide) -> Iterator[BaseShape]:
    """Every shape in document order, groups opened where they stand (without
    recursion: a file decides how deep its groups go)."""
    stack = list(reversed(slide.shapes))
    while stack:
        shape = stack.pop()
        if hasattr(shape, "shapes"):  # a group shape
            stack.extend(reversed(shape.shapes))
        else:
            yield shape


def _text(shape: BaseShape) -> str:
    # Only an autoshape has a text frame, and only a graphic frame a table or a chart.
    if isinstance(shape, Shape) and shape.has_text_frame:
        return _clean(shape.text_frame.text)
    if not isinstance(shape, GraphicFrame):
        return ""
    if shape.has_table:
        rows = []
        for row in shape.table.rows:
            cells = [_one_line(cell.text) for cell in row.cells if not cell.is_spanned]
            rows.append(" | ".join(cells))
        return "\n".join(rows)
    if shape.has_chart and shape.chart.has_title:
        return _one_line(shape.chart.chart_title.text_frame.text)
    return ""


def _clean(text: str) -> str:
    """python-pptx writes a line break inside a paragraph as a vertical tab."""
    lines = (" ".join(line.split()) for line in text.replace("\v", "\n").splitlines())
    return "\n".join(line for line in lines if line)


def _one_line(text: str) -> str:
    return " ".join(text.split())
