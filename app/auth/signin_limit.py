"""The per-account sign-in limit, built so that it cannot be used to lock someone out.

LOGIN_ACCOUNT_RATE_LIMIT counts *failed* sign-ins per account, from any address. Past it, an
address that has failed recently (on any account, within the same window) may not even try,
but an address that has not failed gets its password checked: the owner signing in from their
own machine gets in while an attacker hammers the account from theirs. Each such guess that
fails marks its address too, so a locked account still costs an attacker one address per guess
(on top of LOGIN_RATE_LIMIT, which counts every attempt per address).
Counters live in Flask-Limiter's storage (Redis when REDIS_URL is set, so across processes).
"""
from flask import current_app
from limits import parse

from ..core.text import normalise_email
from ..extensions import limiter


def _limits():
    account = parse(current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"])
    # one failure within the same window marks the address
    marker = type(account)(1, account.multiples)
    return account, marker


def may_try(email: str, address: str) -> bool:
    """False when the account is over its limit and this address has failed recently."""
    if not limiter.enabled:
        return True
    account, marker = _limits()
    strategy = limiter.limiter
    if strategy.test(account, "login-account", normalise_email(email)):
        return True
    return strategy.test(marker, "login-address-failed", address)


def record_failure(email: str, address: str) -> None:
    if not limiter.enabled:
        return
    account, marker = _limits()
    limiter.limiter.hit(account, "login-account", normalise_email(email))
    limiter.limiter.hit(marker, "login-address-failed", address)
