"""What a file really is, decided from its bytes (magic numbers), never from its name or the
browser's claim. `sniff(path, size)` returns a `FileType` or raises `ValidationError`.

Allowed: raster images, PDF, ZIP-based office documents, video, audio, 3D models (glTF, GLB,
OBJ, PLY, STL), plain text, CSV and Markdown. HTML, SVG and other markup are refused outright, so
they can never be served as a page or an image.
"""
import json
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from ..core.errors import ValidationError

HEAD_BYTES = 64 * 1024
GLTF_PARSE_LIMIT = 32 * 1024 * 1024


@dataclass(frozen=True)
class FileType:
    kind: str          # image, pdf, document, video, audio, model, text, archive
    mime: str
    extensions: tuple  # the first one is canonical

    @property
    def extension(self) -> str:
        return self.extensions[0]


T = FileType
PNG = T("image", "image/png", (".png",))
JPEG = T("image", "image/jpeg", (".jpg", ".jpeg", ".jpe"))
GIF = T("image", "image/gif", (".gif",))
WEBP = T("image", "image/webp", (".webp",))
TIFF = T("image", "image/tiff", (".tif", ".tiff"))
PDF = T("pdf", "application/pdf", (".pdf",))
OFFICE_TYPES = {
    "word/": T("document", "application/vnd.openxmlformats-officedocument."
                           "wordprocessingml.document", (".docx",)),
    "xl/": T("document", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             (".xlsx",)),
    "ppt/": T("document", "application/vnd.openxmlformats-officedocument."
                          "presentationml.presentation", (".pptx",)),
}
ODF_TYPES = {
    "application/vnd.oasis.opendocument.text": (".odt",),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods",),
    "application/vnd.oasis.opendocument.presentation": (".odp",),
    "application/vnd.oasis.opendocument.graphics": (".odg",),
}
ZIP = T("archive", "application/zip", (".zip",))
MP4 = T("video", "video/mp4", (".mp4", ".m4v"))
M4A = T("audio", "audio/mp4", (".m4a",))
MOV = T("video", "video/quicktime", (".mov",))
WEBM = T("video", "video/webm", (".webm",))
MKV = T("video", "video/x-matroska", (".mkv",))
MP3 = T("audio", "audio/mpeg", (".mp3",))
WAV = T("audio", "audio/wav", (".wav",))
OGG = T("audio", "audio/ogg", (".ogg", ".oga", ".ogv"))
FLAC = T("audio", "audio/flac", (".flac",))
GLTF = T("model", "model/gltf+json", (".gltf",))
GLB = T("model", "model/gltf-binary", (".glb",))
OBJ = T("model", "model/obj", (".obj",))
PLY = T("model", "application/x-ply", (".ply",))
STL = T("model", "model/stl", (".stl",))
CSV = T("text", "text/csv", (".csv",))
MARKDOWN = T("text", "text/markdown", (".md", ".markdown"))
TEXT = T("text", "text/plain", (".txt", ".text", ".log"))

#: kinds a browser may show inline (everything else is an attachment)
INLINE_MIMES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}
#: what Pillow should decode for a thumbnail
THUMBNAIL_MIMES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff"}

_MARKUP_STARTS = (b"<!doctype", b"<html", b"<?xml", b"<svg", b"<head", b"<body", b"<script",
                  b"<iframe", b"<!--", b"<meta", b"<style", b"<object", b"<embed", b"<a ",
                  b"<img", b"<div", b"<p>", b"<table", b"<form")
_OBJ_KEYWORDS = {b"v", b"vn", b"vt", b"vp", b"f", b"l", b"p", b"o", b"g", b"s", b"mtllib",
                 b"usemtl", b"#", b"cstype", b"deg", b"curv", b"surf", b"parm", b"end"}


def refuse(message: str | None = None):
    raise ValidationError(message or _(
        "This type of file is not accepted. Upload images, PDFs, office documents, video, "
        "audio, 3D models (glTF, GLB, OBJ, PLY, STL) or plain text."), field="file")


def sniff(path: Path, size: int, name: str = "") -> FileType:
    """The type of the file at `path` (`size` bytes); `name` only picks CSV/Markdown for text."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        handle.seek(max(0, size - 128))
        tail = handle.read(128)
    found = _binary_type(head, size, path) or _text_type(head, tail, size, path, name)
    if found is None:
        refuse()
    return found


def _binary_type(head: bytes, size: int, path: Path) -> FileType | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return TIFF
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(path)
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand == b"qt  ":
            return MOV
        if brand in (b"M4A ", b"M4B "):
            return M4A
        return MP4
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM if b"webm" in head[:64] else MKV
    if head.startswith(b"OggS"):
        return OGG
    if head.startswith(b"fLaC"):
        return FLAC
    if head.startswith(b"ID3") or (len(head) > 2 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0
                                   and (head[1] >> 1) & 0x03 != 0):
        return MP3
    if head[:4] == b"glTF" and size >= 12:
        return GLB
    if head.startswith((b"ply\n", b"ply\r\n")):
        return PLY
    if size >= 84 and 84 + 50 * struct.unpack("<I", head[80:84])[0] == size:
        return STL  # binary STL: 80-byte header, a triangle count, 50 bytes per triangle
    return None


def _zip_type(path: Path) -> FileType | None:
    """Office documents are ZIPs: OOXML has [Content_Types].xml, ODF a `mimetype` member."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # read 100 bytes, never a bomb
                    mime = member.read(100).decode("ascii", "replace").strip()
                if mime in ODF_TYPES:
                    return T("document", mime, ODF_TYPES[mime])
            if "[Content_Types].xml" in names:
                for prefix, file_type in OFFICE_TYPES.items():
                    if any(name.startswith(prefix) for name in names):
                        return file_type
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        refuse(_("This ZIP file is damaged and cannot be accepted."))
    return ZIP


def _decode_text(head: bytes, complete: bool) -> str | None:
    """The head as UTF-8 text, or None when it holds binary (NUL or other control bytes)."""
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # a multi-byte character cut at the end of the head is fine; anything else is binary
        if complete or error.start < len(head) - 4:
            return None
        text = head[:error.start].decode("utf-8")
    if any(ord(ch) < 32 and ch not in "\t\n\r\f" for ch in text):
        return None
    return text


def _text_type(head: bytes, tail: bytes, size: int, path: Path, name: str) -> FileType | None:
    text = _decode_text(head, complete=size <= len(head))
    if text is None:
        return None
    start = text.lstrip().encode()[:64].lower()
    if start.startswith(_MARKUP_STARTS) or b"<svg" in text[:2048].lower().encode() or \
            b"<script" in text.lower().encode():
        refuse(_("HTML, SVG and other markup files are not accepted. Export a PDF or an image "
                 "instead, or zip the file."))
    if start.startswith(b"{") and b'"asset"' in text.encode() and _is_gltf(path, size):
        return GLTF
    if start.startswith(b"solid") and (b"facet" in text.encode() or b"endsolid" in tail):
        return STL
    if _looks_like_obj(text):
        return OBJ
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return CSV
    if lowered.endswith((".md", ".markdown")):
        return MARKDOWN
    return TEXT


def _is_gltf(path: Path, size: int) -> bool:
    if size > GLTF_PARSE_LIMIT:
        return True  # too big to parse here; the head already showed a JSON object with "asset"
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return False
    return isinstance(document, dict) and isinstance(document.get("asset"), dict)


def _looks_like_obj(text: str) -> bool:
    lines = [line.split(maxsplit=1) for line in text.splitlines()[:400] if line.strip()]
    if not lines:
        return False
    keywords = [parts[0].encode() for parts in lines]
    known = sum(1 for word in keywords if word in _OBJ_KEYWORDS or word.startswith(b"#"))
    return b"v" in keywords and known / len(keywords) > 0.9
