"""What an uploaded file really is, read from its content, never from its name."""

import zipfile
from typing import Any

from PIL import Image, UnidentifiedImageError


def _head(upload: Any, size: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else b""


def _zip_names(upload: Any) -> list[str]:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    finally:
        upload.seek(0)


def _image(upload: Any, kind: str) -> bool:
    try:
        upload.seek(0)
        with Image.open(upload) as picture:
            if picture.format != kind:
                return False
            picture.verify()
        return True
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return False
    finally:
        upload.seek(0)


def _odt(upload: Any) -> bool:
    if "mimetype" not in _zip_names(upload):
        return False
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        kind = archive.read("mimetype")
    upload.seek(0)
    return kind == b"application/vnd.oasis.opendocument.text"


CHECKS = {
    "pdf": lambda upload: _head(upload, 5) == b"%PDF-",
    "docx": lambda upload: "word/document.xml" in _zip_names(upload),
    "odt": _odt,
    "jpg": lambda upload: _image(upload, "JPEG"),
    "png": lambda upload: _image(upload, "PNG"),
}


def detect(upload: Any, allowed: list[str]) -> str | None:
    """The first of the `allowed` types the content is, or None."""
    for kind in allowed:
        check = CHECKS.get(kind)
        if check is not None and check(upload):
            return kind
    return None
