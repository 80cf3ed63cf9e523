"""Published attachments: the workspace documents and files a case study makes public.

This is the only module of the archive that reads the documents and files features' models.
"""


def attachment_texts(snapshots: list[dict]) -> dict[tuple[str, int], str]:
    """Plain text of every attachment named in `snapshots`, keyed by (kind, id)."""
    return {}
