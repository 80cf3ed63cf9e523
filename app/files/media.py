"""What we derive from an upload's content: image thumbnails (Pillow) and PDF text (pypdf).

Images are opened lazily, their pixel count checked before any decoding (decompression bombs),
then decoded once for the thumbnail, which also catches truncated files. A PDF that pypdf cannot
read is kept without text. No database access lives in this module.
"""
import io
import logging
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError, features

from ..core.errors import ValidationError

log = logging.getLogger(__name__)

THUMBNAIL_SIZE = 320
DEFAULT_MAX_IMAGE_PIXELS = 64_000_000
MAX_PDF_PAGES = 300
MAX_PDF_TEXT = 200_000


@dataclass
class Thumbnail:
    data: bytes
    mime: str
    width: int      # of the original image
    height: int


def max_image_pixels() -> int:
    return int(current_app.config.get("FILES_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS))


def make_thumbnail(path: Path, *, strict: bool = True) -> Thumbnail | None:
    """A thumbnail (max 320px) of the image at `path`. Bombs and corrupt images raise
    `ValidationError`; with `strict=False` (TIFF variants Pillow may not support) an undecodable
    image gives None instead, but a bomb is still refused."""
    limit = max_image_pixels()
    Image.MAX_IMAGE_PIXELS = limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > limit:
                    raise Image.DecompressionBombError("too many pixels")
                image.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))
                image.load()
                thumb = ImageOps.exif_transpose(image)
                thumb.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
                thumb = thumb.convert("RGBA" if _has_alpha(thumb) else "RGB")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_(
            "This image is too large to process (more than %(mp)s megapixels). Reduce its "
            "resolution and try again.", mp=limit // 1_000_000), field="file") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError,
            MemoryError, struct.error) as error:
        if not strict:
            log.info("No thumbnail for %s: %s", path.name, error)
            return None
        raise ValidationError(_("This image is damaged or incomplete and cannot be "
                                "accepted."), field="file") from None
    buffer = io.BytesIO()
    if features.check("webp"):
        thumb.save(buffer, "WEBP", quality=80, method=4)
        mime = "image/webp"
    else:
        thumb.save(buffer, "PNG", optimize=True)
        mime = "image/png"
    return Thumbnail(data=buffer.getvalue(), mime=mime, width=width, height=height)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )


def extract_pdf_text(path: Path) -> str | None:
    """The text of the PDF (first pages, capped), or None when pypdf cannot read it."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None
        parts: list[str] = []
        length = 0
        for index, page in enumerate(reader.pages):
            if index >= MAX_PDF_PAGES or length >= MAX_PDF_TEXT:
                break
            text = page.extract_text() or ""
            parts.append(text)
            length += len(text)
    except Exception as error:  # noqa: BLE001 — any hostile PDF must end as "no text"
        log.info("No text from PDF %s: %s", path.name, error)
        return None
    text = "\n".join(parts).replace("\x00", "").strip()
    return text[:MAX_PDF_TEXT]
