"""Drive the real app through a short session and save what a user would see.

Run under an X server (`make screenshots` uses Xvfb): it opens the window on a fresh
home, adds two CUAD contracts, asks a question, opens the first citation in the
viewer, runs a classification, asks for an expiry date (the answer with its clause quoted under it),
summarizes a contract, asks a clinical yes/no question of a PubMedQA abstract, then
adds an image-only scan of a third contract, asks it the same question and opens the
citation on the scanned page, saving a PNG of the whole screen after each step.

`--look dark` and `--look scaled` make a shorter pass (first run, one answer, its
summary) in the dark look (View > Appearance > Dark), or at 200% (run it with QT_SCALE_FACTOR=2), so
both can be checked by eye.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = ROOT.parent / "shared" / "data" / "cuad" / "contracts"


def main(out: Path, look: str = "") -> None:  # noqa: PLR0915 - one linear walk-through
    if "DISCREET_HOME" not in os.environ:  # a fresh home, gone when the pass ends
        home = tempfile.mkdtemp(prefix="discreet-shots-")
        atexit.register(shutil.rmtree, home, ignore_errors=True)
        os.environ["DISCREET_HOME"] = home
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from discreet.core import offline
    from discreet.core.paths import app_paths
    from discreet.gui.feedback import icon
    from discreet.gui.main_window import MainWindow

    offline.enforce()
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([])
    app.setWindowIcon(icon("discreet"))
    window = MainWindow(app_paths().ensure())
    if look == "dark":  # as a user picks it in View > Appearance
        window.appearance.choose("dark")
    window.resize(1560, 940)
    window.move(20, 20)
    window.show()
    window.start()

    def turn() -> None:
        """Let the event loop run 10 ms. Not `processEvents()`: PySide6 6.12 on Python 3.11
        drops a reference to None per call, and a long wait then aborts the interpreter."""
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()

    def wait(done: object, settle_s: float = 0.5) -> None:
        end = time.monotonic() + 900
        while not done() and time.monotonic() < end:
            turn()
        end = time.monotonic() + settle_s
        while time.monotonic() < end:
            turn()

    def shot(name: str) -> None:
        path = out / f"{name}{'-' + look if look else ''}.png"
        window.screen().grabWindow(0).save(str(path))
        print(path)

    wait(lambda: window.library is not None)
    shot("1-first-run")
    window.controllers.upkeep.add_paths(
        [CONTRACTS / "01_service_gpaq.pdf", CONTRACTS / "05_license_gopage.pdf"]
    )
    wait(lambda: window.progress.isVisible() and window.progress.bar.maximum() > 1, 0.2)
    shot("2-indexing-progress")
    wait(lambda: not window.runner.busy)
    shot("3-library")
    panel = window.panel.documents
    for i in range(panel.topLevelItemCount()):
        panel.topLevelItem(i).setSelected(panel.topLevelItem(i).text(0).startswith("05_"))
    window.ask_tab.scope.setCurrentIndex(1)
    window.ask_tab.question.setPlainText("Which law governs this agreement?")
    window.ask_tab.ask_button.click()
    wait(lambda: not window.runner.busy)
    shot("4-answer-with-citations")
    view = window.ask_tab.views[-1]
    if look:
        summary(window, wait, shot)
        window.close()
        return
    if view.quotes:
        view.quotes[0].clicked.emit()
        wait(lambda: True, 2.0)  # let the viewer render
    shot("5-viewer-highlight")
    window.viewer.find_bar.field.setText("law")
    window.viewer.open_find()
    wait(lambda: True, 1.5)  # QtPdf searches page by page
    shot("5b-viewer-find")
    window.viewer.hide()
    panel.clearSelection()
    window.tabs.setCurrentWidget(window.classify_tab)
    window.classify_tab.labels.setText(
        "Service Agreement, License Agreement, Outsourcing Agreement"
    )
    window.classify_tab.run.click()
    wait(lambda: not window.runner.busy)
    shot("6-classify-table")
    review(window, wait, shot)
    window.tabs.setCurrentWidget(window.ask_tab)
    select(window, "05_")
    window.ask_tab.question.setPlainText("When does this agreement expire?")
    window.ask_tab.ask_button.click()
    wait(lambda: not window.runner.busy)
    shot("9-field-answer-with-its-clause")
    summary(window, wait, shot)
    window.tabs.setCurrentWidget(window.ask_tab)
    verdict(window, wait, shot, out)
    scan = scanned_copy(CONTRACTS / "08_license_artara.pdf", out / "scanned-artara.pdf")
    window.tabs.setCurrentWidget(window.ask_tab)
    window.controllers.upkeep.add_paths([scan])
    wait(lambda: window.progress.isVisible() and "OCR page" in window.progress.label.text(), 0.2)
    shot("7-ocr-progress")
    wait(lambda: not window.runner.busy)
    for i in range(panel.topLevelItemCount()):
        panel.topLevelItem(i).setSelected(panel.topLevelItem(i).text(0).startswith("scanned"))
    window.ask_tab.question.setPlainText("Which law governs this agreement?")
    window.ask_tab.ask_button.click()
    wait(lambda: not window.runner.busy)
    view = window.ask_tab.views[-1]
    if view.quotes:
        view.quotes[0].clicked.emit()
        wait(lambda: window.viewer.isVisible() and not window.runner.busy, 1.0)
    shot("8-scanned-citation")
    window.close()


def select(window: object, prefix: str) -> None:
    """Select the documents whose file name starts with `prefix`, and ask only them."""
    from discreet.gui.library_panel import PATH

    panel = window.panel.documents
    for i in range(panel.topLevelItemCount()):
        item = panel.topLevelItem(i)
        item.setSelected(Path(item.data(0, PATH)).name.startswith(prefix))
    window.ask_tab.scope.setCurrentIndex(1)


CHECKLIST = (
    "Parties, Agreement Date, Expiration Date, Governing Law, Anti-Assignment, "
    "Cap On Liability, Termination For Convenience, Exclusivity, Insurance"
)


def review(window: object, wait: object, shot: object) -> None:
    """A saved checklist reviewed over both contracts, a cell confirmed by the reviewer, and
    the two contracts compared."""
    from discreet.tasks.review.corrections import Correction

    tab = window.review_tab
    window.tabs.setCurrentWidget(tab)
    window.panel.documents.clearSelection()
    tab.categories.setText(CHECKLIST)
    window.controllers.reviewing.save_checklist("Our standard licence review")
    tab.run.click()
    wait(lambda: not window.runner.busy)
    done = tab.reviews[0]
    law = done.finding("Governing Law")
    note = "Confirmed against the signed copy"
    chunk = law.passage.chunk_id if law.passage else ""
    tab.correction_made.emit(
        done, Correction(done.doc_id, "Governing Law", law.status, law.value, note, chunk)
    )
    wait(lambda: not window.runner.busy)
    tab.matrix.setCurrentCell(
        0, 1 + [f.category.name for f in done.findings].index("Governing Law")
    )
    wait(lambda: True, 0.5)
    shot("12-review-grid")
    tab.matrix.selectAll()
    tab.compare.click()
    wait(lambda: True, 1.0)
    shot("13-compare")
    if tab.comparing is not None:
        tab.comparing.close()


def summary(window: object, wait: object, shot: object) -> None:
    """A brief summary of the licence: its key terms first, each cited."""
    select(window, "05_")
    window.tabs.setCurrentWidget(window.summarize_tab)
    window.summarize_tab.length.setCurrentText("Brief")
    window.summarize_tab.run.click()
    wait(lambda: not window.runner.busy)
    shot("10-summary")


def verdict(window: object, wait: object, shot: object, out: Path) -> None:
    """A clinical yes/no question asked of one PubMedQA abstract."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpora import write_pubmed_abstracts

    item = next(i for i in write_pubmed_abstracts(out / "pubmedqa") if i.decision == "yes")
    window.controllers.upkeep.add_paths([item.path])
    wait(lambda: not window.runner.busy)
    select(window, item.path.stem)
    window.ask_tab.question.setPlainText(item.question)
    window.ask_tab.ask_button.click()
    wait(lambda: not window.runner.busy)
    shot("11-verdict-answer")


def scanned_copy(source: Path, target: Path) -> Path:
    """An image-only copy of a PDF, as a 200-dpi scanner would make it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(source)
    pages = [page.render(scale=200 / 72, grayscale=True).to_pil() for page in document]
    document.close()
    pages[0].save(target, "PDF", save_all=True, append_images=pages[1:], resolution=200)
    return target


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="screenshots", type=Path)
    parser.add_argument("--look", choices=["dark", "scaled"], default="")
    args = parser.parse_args()
    main(args.out, args.look)
