"""Plain text, Markdown and HTML.

Text files arrive in any encoding; charset-normalizer picks the most plausible one
instead of assuming UTF-8. HTML keeps only the main text: scripts, navigation and
page furniture would only add noise to search results.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

from discreet.core.errors import UnsupportedFile
from discreet.documents.model import LoadedDocument, Page

_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "iframe",
    "template",
)
_BLANKS = re.compile(r"\n\s*\n+")


def decode_text(data: bytes, path: Path) -> str:
    """The bytes as text: UTF-8 when they start with its BOM (bad bytes replaced) or decode
    cleanly, else charset-normalizer's best guess; `UnsupportedFile` when nothing fits."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise UnsupportedFile(path, "its text encoding could not be recognised") from None
        return str(best)


def load_text(path: Path, kind: str) -> LoadedDocument:
    """A .txt or .md file as one page of `kind`; Markdown is titled by its first heading."""
    text = decode_text(path.read_bytes(), path).replace("\r\n", "\n").replace("\x00", "")
    return LoadedDocument(
        kind=kind, title=_first_heading(text, kind) or path.stem, pages=[Page(1, text)]
    )


def html_to_text(markup: str | bytes) -> tuple[str, str]:
    """(title, main text) of an HTML page."""
    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(strip=True) if soup.title else ""
    for tag in soup(_NOISE_TAGS):
        tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    text = root.get_text("\n")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return title, _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def load_html(path: Path) -> LoadedDocument:
    """An HTML file's main text as one page, titled by its <title>, else the file name."""
    title, text = html_to_text(decode_text(path.read_bytes(), path))
    return LoadedDocument(kind="html", title=title or path.stem, pages=[Page(1, text)])


def _first_heading(text: str, kind: str) -> str:
    if kind != "md":
        return ""
    for line in text.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""
