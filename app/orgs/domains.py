"""Does a person's email address belong to an organisation's web site? A hint for the people
who verify organisations and answer requests to join, never a decision by itself.

`alice@dh.unibo.it` matches `https://www.unibo.it` (same domain or a subdomain either way);
addresses at free mail providers match nothing, whatever web site is claimed.
"""
from urllib.parse import urlsplit

FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.it", "hotmail.fr",
    "live.com", "msn.com", "yahoo.com", "yahoo.it", "yahoo.fr", "yahoo.de", "yahoo.es",
    "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.de", "gmx.net",
    "gmx.at", "web.de", "t-online.de", "libero.it", "virgilio.it", "tiscali.it", "alice.it",
    "orange.fr", "free.fr", "laposte.net", "wanadoo.fr", "seznam.cz", "wp.pl", "o2.pl",
    "onet.pl", "interia.pl", "mail.ru", "yandex.ru", "yandex.com", "zoho.com", "tutanota.com",
    "mail.com", "email.com", "telenet.be", "ziggo.nl", "kpnmail.nl", "sapo.pt", "abv.bg",
})


def email_domain(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().lower().rstrip(".")


def website_domain(url: str) -> str:
    try:
        host = (urlsplit(url or "").hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def domains_match(mail_domain: str, site_domain: str) -> bool:
    if not mail_domain or not site_domain or mail_domain in FREE_MAIL or "." not in site_domain:
        return False
    return (mail_domain == site_domain or mail_domain.endswith("." + site_domain)
            or site_domain.endswith("." + mail_domain))
