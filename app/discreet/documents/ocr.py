"""Reading text off page images with Tesseract, offline.

Why Tesseract (through tesserocr) and not RapidOCR: on the contract pages of
`bench/ocr.py` it keeps the spaces between English words that RapidOCR's bundled
Chinese/English model drops, and it is about four times faster on two cores (the
bench prints both). Its language data is pinned by hash in `resources/models.toml`
(`ocr.data`) and found by `models.ocr_data`; nothing is downloaded.

Each recognised line keeps its box and confidence, so a citation span maps back to
the lines it quotes and the viewer highlights those, not a text search.

Rotated scans: Tesseract reads small skews by itself. A page turned 90/180/270
degrees reads with low confidence (or, at 270, as vertical lines without boxes), so
only such pages go through orientation detection (OSD) and are read again upright;
an upright page pays nothing for the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PIL import Image

from discreet.documents.model import TextLine

# Below this mean confidence a page is checked for rotation; fitted on the tuning half of
# bench/ocr.py's pages (upright pages read at 0.85 and up, turned ones below 0.45).
ROTATION_CHECK_BELOW = 0.7
# OSD's own confidence needed to believe a rotation (its scale: about 1 is a guess).
MIN_ORIENTATION_CONFIDENCE = 2.0


@dataclass(frozen=True)
class OcrResult:
    """A page as Tesseract read it: its text, its lines with their boxes, and how sure it is."""

    text: str
    lines: tuple[TextLine, ...]
    confidence: float  # mean over the page's words, 0..1
    rotation: int = 0  # degrees the page was turned (counter-clockwise) to read it


class OcrEngine(Protocol):
    """The seam for OCR: an image of a page in, its text with line boxes out."""

    def read(self, image: Image.Image) -> OcrResult:
        """The page's text and lines; raises RuntimeError for a picture it cannot read, and
        the loader then leaves that page flagged for OCR."""


class TesseractEngine:
    """One Tesseract instance for text and one for orientation, made on the first page
    to read (a batch without scans never loads them) and kept for the next."""

    def __init__(self, tessdata: Path, languages: str = "eng") -> None:
        self.tessdata, self.languages = tessdata, languages
        self._api: Any = None
        self._osd: Any = None

    def read(self, image: Image.Image) -> OcrResult:
        """Read a page; a reading with low confidence or lines without boxes (a turned scan)
        is redone with the page turned upright, and the more confident of the two wins."""
        if self._api is None:
            from tesserocr import PSM, PyTessBaseAPI

            folder = str(self.tessdata)
            self._api = PyTessBaseAPI(path=folder, lang=self.languages, psm=PSM.AUTO)
            self._osd = PyTessBaseAPI(path=folder, lang="osd", psm=PSM.OSD_ONLY)
        image = image.convert("L")  # greyscale: the same result, less to copy
        result = self._recognise(image, 0)
        if result.confidence < ROTATION_CHECK_BELOW or _lost_boxes(result):
            turn = self._orientation(image)
            if turn:
                turned = self._recognise(image.rotate(turn, expand=True), turn)
                if turned.confidence > result.confidence:
                    return turned
        return result

    def _orientation(self, image: Image.Image) -> int:
        """Degrees to turn the page (counter-clockwise) so that its text stands upright."""
        self._osd.SetImage(image)
        try:
            found = self._osd.DetectOrientationScript()
        except RuntimeError:  # too little text to tell
            return 0
        if not found or found.get("orient_conf", 0.0) < MIN_ORIENTATION_CONFIDENCE:
            return 0
        return int(found["orient_deg"]) % 360

    def _recognise(self, image: Image.Image, rotation: int) -> OcrResult:
        from tesserocr import RIL, iterate_level

        self._api.SetImage(image)
        self._api.Recognize()
        width, height = image.size
        parts: list[str] = []
        lines: list[TextLine] = []
        offset = 0
        iterator = self._api.GetIterator()
        for item in iterate_level(iterator, RIL.TEXTLINE) if iterator else ():
            text = _line_text(item, RIL.TEXTLINE)
            if not text:
                continue
            if parts:
                gap = "\n\n" if item.IsAtBeginningOf(RIL.PARA) else "\n"
                parts.append(gap)
                offset += len(gap)
            box = item.BoundingBox(RIL.TEXTLINE)
            fractions = _fractions(box, width, height, rotation) if box else (0.0, 0.0, 0.0, 0.0)
            confidence = item.Confidence(RIL.TEXTLINE) / 100.0
            lines.append(TextLine(offset, offset + len(text), fractions, confidence))
            parts.append(text)
            offset += len(text)
        mean = self._api.MeanTextConf() / 100.0 if lines else 0.0
        return OcrResult("".join(parts), tuple(lines), max(mean, 0.0), rotation)


def _line_text(item: Any, level: int) -> str:
    try:
        return " ".join((item.GetUTF8Text(level) or "").split())
    except RuntimeError:  # Tesseract's "no text returned", on a blank page
        return ""


def _lost_boxes(result: OcrResult) -> bool:
    """Tesseract reads a page turned 270 degrees as vertical lines, without boxes."""
    missing = sum(1 for line in result.lines if line.box == (0.0, 0.0, 0.0, 0.0))
    return missing * 2 > len(result.lines)


def _fractions(
    box: tuple[int, int, int, int], width: int, height: int, rotation: int
) -> tuple[float, float, float, float]:
    """A box on the turned image, as fractions of the page as it was scanned.

    The image was turned `rotation` degrees counter-clockwise before reading; the
    viewer shows the page unturned, so the box is turned back.
    """
    x0, y0, x1, y1 = box[0] / width, box[1] / height, box[2] / width, box[3] / height
    if rotation == 90:  # turned image (x, y) came from the page's (1 - y, x)
        return (1 - y1, x0, 1 - y0, x1)
    if rotation == 180:
        return (1 - x1, 1 - y1, 1 - x0, 1 - y0)
    if rotation == 270:
        return (y0, 1 - x1, y1, 1 - x0)
    return (x0, y0, x1, y1)
