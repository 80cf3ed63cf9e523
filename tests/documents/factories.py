"""Generators for document tests: `make_document(project, author, ...)`, `edit(...)`."""
from app.documents import services
from app.documents.models import Document


def make_document(project, author, *, title="Project plan", body="# Plan\n\nFirst draft.\n",
                  parent=None, is_folder=False) -> Document:
    return services.create_document(
        author, project, title=title, body=body, is_folder=is_folder,
        parent_id=parent.id if parent is not None else None,
    )


def edit(document, author, body, *, base=None, summary="", title=None):
    """Save `body` as `author`, starting from revision `base` (default: the current one)."""
    return services.save_document(
        author, document, body=body, summary=summary, title=title,
        base_revision=base if base is not None else document.revision_number,
    )
