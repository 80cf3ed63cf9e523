"""European countries (ISO 3166-1 alpha-2): EU, EEA, Switzerland, UK, Western Balkans, Ukraine
and the other Creative Europe participants. One list for forms, filters, import and statistics."""
from flask_babel import lazy_gettext as _l

COUNTRIES = {
    "AT": _l("Austria"), "BE": _l("Belgium"), "BG": _l("Bulgaria"), "HR": _l("Croatia"),
    "CY": _l("Cyprus"), "CZ": _l("Czechia"), "DK": _l("Denmark"), "EE": _l("Estonia"),
    "FI": _l("Finland"), "FR": _l("France"), "DE": _l("Germany"), "GR": _l("Greece"),
    "HU": _l("Hungary"), "IE": _l("Ireland"), "IT": _l("Italy"), "LV": _l("Latvia"),
    "LT": _l("Lithuania"), "LU": _l("Luxembourg"), "MT": _l("Malta"), "NL": _l("Netherlands"),
    "PL": _l("Poland"), "PT": _l("Portugal"), "RO": _l("Romania"), "SK": _l("Slovakia"),
    "SI": _l("Slovenia"), "ES": _l("Spain"), "SE": _l("Sweden"),
    # EEA and EFTA
    "IS": _l("Iceland"), "LI": _l("Liechtenstein"), "NO": _l("Norway"), "CH": _l("Switzerland"),
    # United Kingdom
    "GB": _l("United Kingdom"),
    # Western Balkans
    "AL": _l("Albania"), "BA": _l("Bosnia and Herzegovina"), "ME": _l("Montenegro"),
    "MK": _l("North Macedonia"), "RS": _l("Serbia"), "XK": _l("Kosovo"),
    # Eastern partners taking part in Creative Europe
    "UA": _l("Ukraine"), "MD": _l("Moldova"), "GE": _l("Georgia"), "AM": _l("Armenia"),
    # Small European states
    "AD": _l("Andorra"), "MC": _l("Monaco"), "SM": _l("San Marino"), "VA": _l("Vatican City"),
}

EU_MEMBERS = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split()
)


def country_name(code: str | None) -> str:
    return str(COUNTRIES.get((code or "").upper(), code or ""))


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(name)) for code, name in COUNTRIES.items()), key=lambda c: c[1])


def is_european_country(code: str | None) -> bool:
    return (code or "").upper() in COUNTRIES
