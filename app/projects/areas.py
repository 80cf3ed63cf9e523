"""The fixed vocabulary of application areas: keys and labels, kept here and nowhere else."""
from flask_babel import lazy_gettext as _l

APPLICATION_AREAS = {
    "digital-presence": _l("Digital presence"),
    "collections": _l("Collections management"),
    "conservation-research": _l("Conservation and research"),
    "3d-digitisation": _l("3D digitisation"),
    "ar-vr": _l("AR / VR"),
    "interpretation-exhibition": _l("Interpretation and exhibition"),
    "audience-experience": _l("Audience experience"),
    "marketing-visitors": _l("Marketing and visitors"),
    "operations": _l("Operations"),
    "business-models": _l("Business models"),
}


def area_label(key: str) -> str:
    return str(APPLICATION_AREAS.get(key, key))


def area_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in APPLICATION_AREAS.items()]


def area_drawing(keys) -> str:
    """The name of the drawing (static/img/areas/<name>.svg) for a list of area keys: the
    first known area's, or "general"."""
    return next((key for key in keys or [] if key in APPLICATION_AREAS), "general")
