"""The one pagination helper: clamp user-supplied page numbers and sizes, never trust them."""
from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

from ..extensions import db


def clamp_int(raw, default: int, minimum: int, maximum: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(minimum, min(maximum, value))


class PageNumbers:
    """`pages`, `has_prev`, `has_next` for any result holding `page`, `per_page` and `total`."""

    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass
class Page(PageNumbers):
    items: list
    page: int
    per_page: int
    total: int


def paginate(statement: Select, page, per_page, *, default_per_page: int = 20,
             max_per_page: int = 100, scalars: bool = True) -> Page:
    """Run `statement` for one page: two SQL statements (count + rows), whatever the size."""
    per_page = clamp_int(per_page, default_per_page, 1, max_per_page)
    page = clamp_int(page, 1, 1, 100_000)
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    query = statement.limit(per_page).offset((page - 1) * per_page)
    result = db.session.execute(query)
    items = list(result.scalars().unique() if scalars else result)
    return Page(items=items, page=page, per_page=per_page, total=total)
