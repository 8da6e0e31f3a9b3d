"""OCR of scans and image files, in the loaders, the sandboxed reader and a library."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from discreet.core.errors import Cancelled, CorruptDocument
from discreet.core.progress import CancelToken
from discreet.documents.loader import load_document
from discreet.documents.model import OCR, TEXT_LAYER
from discreet.documents.ocr import TesseractEngine
from discreet.documents.sandbox import ReadLimits, SandboxedReader
from discreet.models.ocr_data import ensure_ocr_data
from discreet.retrieval.hybrid import search
from docfactory import SCAN_TEXT, SMALL_CONTRACT, printed_page, scanned_pdf

LIMIT = 2**30


@pytest.fixture(scope="module")
def tessdata(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Path:
    from discreet.core.paths import app_paths

    return ensure_ocr_data(app_paths(tmp_path_factory.mktemp("ocr-home")))


@pytest.fixture(scope="module")
def engine(tessdata: Path) -> TesseractEngine:
    return TesseractEngine(tessdata)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_ocr_data_is_verified_by_hash(tmp_path, tessdata):
    from discreet.core.errors import ModelHashMismatch
    from discreet.core.paths import app_paths
    from discreet.models.ocr_data import OcrData

    data = OcrData.load()
    assert set(data.files) == {"eng.traineddata", "osd.traineddata"}
    paths = replace(app_paths(tmp_path / "home"), models=tmp_path / "models")
    (paths.models / "tessdata").mkdir(parents=True)
    (paths.models / "tessdata" / "eng.traineddata").write_bytes(b"not the model")
    with pytest.raises(ModelHashMismatch):
        ensure_ocr_data(paths, data)


def test_ocr_data_installs_safely_from_two_threads_at_once(tmp_path, tessdata):
    """An ingest and an adaptation may both be first to need the data."""
    from concurrent.futures import ThreadPoolExecutor

    from discreet.core.paths import app_paths

    paths = replace(app_paths(tmp_path / "home"), models=tmp_path / "models")
    for _ in range(3):
        shutil.rmtree(paths.models, ignore_errors=True)
        with ThreadPoolExecutor(4) as pool:
            folders = list(pool.map(lambda _: ensure_ocr_data(paths), range(4)))
        assert folders == [paths.models / "tessdata"] * 4
        data = ["eng.traineddata", "osd.traineddata"]
        expected = sorted(data + [name + ".verified" for name in data])
        assert sorted(p.name for p in folders[0].iterdir()) == expected


def test_scanned_pdf_is_read_with_line_boxes(tmp_path, engine):
    path = scanned_pdf(tmp_path / "scan.pdf", [printed_page()])
    document = load_document(path, LIMIT, engine)
    page = document.pages[0]
    assert page.source == OCR and not page.needs_ocr
    for line in SCAN_TEXT:
        assert line in _words(page.text)
    assert page.confidence is not None and page.confidence > 0.85
    assert len(page.lines) == len(SCAN_TEXT)
    # Each line's span is its text, and its box lies on the page, top to bottom.
    for line, expected in zip(page.lines, SCAN_TEXT, strict=True):
        assert page.text[line.start : line.end] in expected
        x0, y0, x1, y1 = line.box
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    tops = [line.box[1] for line in page.lines]
    assert tops == sorted(tops)


def test_image_files_are_documents(tmp_path, engine):
    page = printed_page()
    files = {}
    for suffix, kwargs in {".png": {}, ".jpg": {"quality": 80}, ".bmp": {}}.items():
        files[suffix] = tmp_path / f"scan{suffix}"
        page.save(files[suffix], **kwargs)
    tiff = tmp_path / "fax.tif"
    page.save(tiff, save_all=True, append_images=[page.rotate(180)])
    for path in files.values():
        document = load_document(path, LIMIT, engine)
        assert document.kind == "image"
        text = " ".join(p.text for p in document.pages)
        assert "governed by the laws of the State of Delaware" in _words(text)
    fax = load_document(tiff, LIMIT, engine)
    assert [p.number for p in fax.pages] == [1, 2]
    # The second page was fed upside down: it is read upright, its boxes turned back.
    assert fax.pages[1].text == fax.pages[0].text
    first_line = fax.pages[1].lines[0].box
    assert first_line[1] > 0.5  # the title sits at the bottom of the upside-down picture


def test_page_turned_a_quarter_is_read_upright(tmp_path, engine):
    path = tmp_path / "turned.png"
    printed_page().rotate(90, expand=True).save(path)
    page = load_document(path, LIMIT, engine).pages[0]
    assert "ninety days written notice" in _words(page.text)
    x0, y0, x1, y1 = page.lines[0].box
    assert y1 - y0 > x1 - x0  # a line of a turned page stands upright on it


def test_image_without_ocr_is_flagged(tmp_path):
    path = tmp_path / "scan.png"
    printed_page().save(path)
    document = load_document(path, LIMIT)
    assert document.needs_ocr_pages == 1 and document.pages[0].source == TEXT_LAYER


def test_damaged_image_fails_on_its_own(tmp_path, engine):
    path = tmp_path / "broken.png"
    printed_page().save(tmp_path / "x.png")
    data = (tmp_path / "x.png").read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(CorruptDocument, match=r"broken\.png"):
        load_document(path, LIMIT, engine)


def test_text_pdf_keeps_its_text_layer(engine):
    document = load_document(SMALL_CONTRACT, LIMIT, engine)
    assert document.ocr_pages == 0
    assert all(page.source == TEXT_LAYER for page in document.pages)


def test_reader_reports_pages_and_cancels_mid_document(tmp_path, tessdata):
    path = scanned_pdf(tmp_path / "long.pdf", [printed_page()] * 6)
    limits = ReadLimits(tessdata=tessdata)
    seen: list[tuple[int, int]] = []
    with SandboxedReader(limits) as reader:
        document = reader.read(path, lambda done, total: seen.append((done, total)))
        assert seen == [(n, 6) for n in range(1, 7)]
        assert document.ocr_pages == 6 and document.pages[5].lines
        cancel = CancelToken()

        def stop_after_first(done: int, total: int) -> None:
            cancel.cancel()

        shutil.copy(path, tmp_path / "again.pdf")
        with pytest.raises(Cancelled):
            reader.read(tmp_path / "again.pdf", stop_after_first, cancel)
        assert reader.pid is None  # the worker was stopped, not left reading


def test_library_indexes_scans_with_their_sources(services, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    scanned_pdf(folder / "scan.pdf", [printed_page(SCAN_TEXT[:2]), printed_page(SCAN_TEXT[2:])])
    shutil.copy(SMALL_CONTRACT, folder)
    library = services.library("scans", create=True)
    events = []
    report = library.add([folder], on_event=events.append)
    assert report.added == 2 and not report.failed
    ocr_events = [e for e in events if e.stage == "ocr"]
    assert [(e.part_done, e.part_total) for e in ocr_events] == [(1, 2), (2, 2)]
    record = next(r for r in library.documents() if r.path.endswith("scan.pdf"))
    assert record.status == "indexed" and record.ocr_pages == 2
    sources = record.sources.pages
    assert [s.source for s in sources] == [OCR, OCR]
    assert all(s.confidence > 0.85 and not s.low_confidence for s in sources)
    assert record.sources.describe().startswith("OCR, 9")
    assert library.page_lines(record.doc_id, 1)
    hits = search(library, "governing law Delaware", services.settings.retrieval).hits
    assert hits and hits[0].doc_id == record.doc_id and hits[0].page == 1


def test_ocr_setting_off_keeps_scans_flagged(services, tmp_path):
    settings = services.settings
    settings.library.ocr = False
    services.update_settings(settings)
    path = scanned_pdf(tmp_path / "scan.pdf", [printed_page()])
    library = services.library("no-ocr", create=True)
    report = library.add([path])
    assert report.needs_ocr == 1
    assert library.documents()[0].status == "needs_ocr"
    settings.library.ocr = True  # turned on again: the next sync reads the waiting scan
    services.update_settings(settings)
    assert library.sync().updated == 1
    (record,) = library.documents()
    assert record.status == "indexed" and record.ocr_pages == 1


def test_tiny_image_is_not_mistaken_for_text(tmp_path, engine):
    path = tmp_path / "dot.png"
    Image.new("L", (40, 40), 255).save(path)
    from discreet.core.errors import EmptyDocument

    with pytest.raises(EmptyDocument, match="no text was recognised"):
        load_document(path, LIMIT, engine)


def test_picture_bombs_are_refused_before_decoding(tmp_path):
    import struct
    import zlib

    from discreet.core.errors import FileTooLarge

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    for side in (12_000, 40_000):  # past the page limit; past twice PIL's own
        header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
        bomb = tmp_path / f"bomb-{side}.png"
        pixels = zlib.compress(b"\x00" * (side + 1) * 4)  # a few rows; the rest missing
        bomb.write_bytes(
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b"")
        )
        with pytest.raises(FileTooLarge, match="pixels"):
            load_document(bomb, LIMIT)
