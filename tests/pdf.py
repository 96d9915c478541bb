"""Reading PDFs in tests with poppler-utils, as an independent reader would."""

import re
import subprocess
import tempfile


def _run(command, data):
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(
            [*command, handle.name, *(["-"] if command[0] == "pdftotext" else [])],
            capture_output=True,
            text=True,
            check=False,
        )


def pdf_pages(data):
    """Each page's text, without the page number printed in the top margin."""
    pages = _run(["pdftotext"], data).stdout.split("\f")
    return [re.sub(r"^\s*\d+\s*\n", "", page, count=1) if index else page for index, page in enumerate(pages)]


def pdf_text(data):
    """The text of a PDF, pages joined, runs of whitespace collapsed."""
    return re.sub(r"\s+", " ", " ".join(pdf_pages(data)))


def pdf_fonts(data):
    """Rows of `pdffonts`: (name, embedded)."""
    lines = _run(["pdffonts"], data).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5]) for line in lines if line.strip()]


def pdfsig(data):
    return _run(["pdfsig"], data).stdout


def squash(text):
    return re.sub(r"\s+", " ", text).strip()
