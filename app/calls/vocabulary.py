"""Labels a call's pages show for its stored keys (statuses, kinds, sizes, areas, countries,
the application form's sections and budget categories)."""
from ..core.countries import country_name
from ..orgs.models import MUSEUM_SIZES, ORG_KINDS
from ..projects.areas import area_label
from .application_content import BUDGET_CATEGORIES, SECTIONS
from .models import NEXT_STATUS, STATUSES


def labels() -> dict:
    return {"area_label": area_label, "kind_labels": ORG_KINDS, "size_labels": MUSEUM_SIZES,
            "status_labels": STATUSES, "next_status": NEXT_STATUS, "country_name": country_name,
            "sections": SECTIONS, "budget_categories": BUDGET_CATEGORIES}
