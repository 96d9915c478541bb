"""Evidence files: the type is read from the content, never trusted from the name."""

import hashlib
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.uploads import check_size

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_TYPES = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
OOXML = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
ODF = {
    b"application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.presentation",
}


def _zip_type(uploaded):
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                kind = archive.read("mimetype").strip()
                return kind.decode() if kind in ODF else None
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def sniff(uploaded):
    """The content type of an accepted file, or None: PDF, JPEG, PNG, GIF, WebP, Office and
    OpenDocument files."""
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "application/pdf"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "image/jpeg"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "image/png"
    elif head[:6] in (b"GIF87a", b"GIF89a"):
        kind = "image/gif"
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        kind = "image/webp"
    elif head.startswith(OLE):
        # Old Office files share one container; the name only tells which program opens it.
        extension = uploaded.name.rsplit(".", 1)[-1].lower() if "." in uploaded.name else ""
        kind = OLE_TYPES.get(extension, "application/x-ole-storage")
    elif head.startswith(b"PK\x03\x04"):
        kind = _zip_type(uploaded)
        uploaded.seek(0)
    return kind


def check_evidence(uploaded):
    """``(content type, sha256)`` of an acceptable evidence file, or DomainError saying why not."""
    try:
        check_size(uploaded, settings.EVIDENCE_MAX_BYTES)
    except DomainError as error:
        raise DomainError(f"“{uploaded.name}”: {error.message}", field="file") from None
    kind = sniff(uploaded)
    if kind is None:
        raise DomainError(
            _("“%(name)s” is not a PDF, an image (JPEG, PNG, GIF, WebP) or an Office document.")
            % {"name": uploaded.name},
            field="file",
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return kind, digest.hexdigest()
