"""Demo files for `seed demo`: in every project, a textile scan (PNG), a gallery photo (JPEG)
and a conservation report (PDF written here by hand, so its text is extracted). Idempotent."""
import io

from PIL import Image, ImageDraw
from sqlalchemy import select

from ..extensions import db
from ..projects.models import Project, ProjectMember
from . import services
from .models import ProjectFile

SCAN_NAME = "textile-scan.png"


def textile_scan(seed: int) -> bytes:
    """A woven-looking test pattern: coloured warp and weft stripes with a grey scale bar."""
    width, height = 480, 360
    image = Image.new("RGB", (width, height), (238, 230, 214))
    draw = ImageDraw.Draw(image)
    palette = [(142, 45, 45), (196, 140, 52), (52, 86, 120), (74, 120, 80), (120, 70, 110)]
    for x in range(0, width, 12):
        colour = palette[(x // 12 + seed) % len(palette)]
        draw.rectangle([x, 0, x + 5, height - 60], fill=colour)
    for y in range(0, height - 60, 12):
        colour = palette[(y // 12 + seed * 2) % len(palette)]
        draw.rectangle([0, y, width, y + 4], fill=colour)
    for step in range(10):
        grey = int(step * 255 / 9)
        draw.rectangle([step * 48, height - 50, step * 48 + 47, height - 10], fill=(grey,) * 3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def gallery_photo(seed: int) -> bytes:
    """A soft gradient 'room' with a framed rectangle, as a JPEG."""
    width, height = 640, 420
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        shade = 200 - y * 80 // height
        draw.line([(0, y), (width, y)], fill=(shade, shade - 10, shade - 25 + seed % 20))
    draw.rectangle([220, 90, 420, 260], outline=(110, 80, 30), width=10, fill=(60, 90, 130))
    draw.rectangle([0, 330, width, height], fill=(120, 96, 70))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def report_pdf(title: str, lines: list[str]) -> bytes:
    """A small valid PDF (one page, Helvetica) written by hand: objects, xref table, trailer."""
    commands = ["BT", "/F1 18 Tf", "56 760 Td", f"({_pdf_escape(title)}) Tj", "/F1 11 Tf",
                "0 -28 Td"]
    for line in lines:
        commands += [f"({_pdf_escape(line)}) Tj", "0 -16 Td"]
    commands.append("ET")
    content = "\n".join(commands).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref_at)
    return bytes(out)


def _uploader(project: Project):
    """The project's lead (or any member) uploads the demo files."""
    members = db.session.execute(
        select(ProjectMember).where(ProjectMember.project_id == project.id)
        .order_by(ProjectMember.role != "lead", ProjectMember.id)
    ).scalars().all()
    return members[0].user if members else None


def load_demo() -> str:
    projects = db.session.execute(select(Project).order_by(Project.id)).scalars().all()
    done = set(db.session.execute(
        select(ProjectFile.project_id).where(ProjectFile.name == SCAN_NAME)).scalars())
    added = 0
    for seed, project in enumerate(projects):
        user = _uploader(project)
        if project.id in done or user is None:
            continue
        services.upload_file(project, user, io.BytesIO(textile_scan(seed)), SCAN_NAME,
                             "Raking-light scan of a woven fragment, with a grey scale.")
        photo = services.upload_file(project, user, io.BytesIO(gallery_photo(seed)),
                                     "gallery-view.jpg", "The gallery before the installation.")
        services.upload_version(project, user, photo.id, io.BytesIO(gallery_photo(seed + 7)),
                                "gallery-view-after.jpg")
        services.upload_file(project, user, io.BytesIO(report_pdf(
            f"Conservation report: {project.title}"[:90], [
                "Condition survey of the selected objects before digitisation.",
                "Light levels kept below 50 lux during photography.",
                "Fibres examined under magnification; no active pest damage found.",
                "Recommendation: rehouse fragments in acid-free boxes.",
            ])), "conservation-report.pdf", "Written before the 3D and photo campaign.")
        added += 3
    return f"{added} files in {len(projects)} projects"
