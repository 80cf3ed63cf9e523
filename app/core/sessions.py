"""The session interface: Flask's signed cookie, decoded once per Socket.IO connection.

Every Socket.IO event runs in a request context built from its connection's WSGI environ (the
cookie as it was when the connection opened, `manage_session=False`), and Flask opens the
session on each push: verifying the signature again costs about as much as the rest of the
context. The decoded values are kept on that environ, keyed by the cookie, and every event
gets a fresh session object holding a copy of them — what decoding again would have given.
An HTTP request has an environ of its own, so it decodes its cookie as before.
"""
from flask.sessions import SecureCookieSessionInterface

CACHE_KEY = "museum_space.decoded_session"


class SessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        cookie = request.cookies.get(self.get_cookie_name(app))
        cached = request.environ.get(CACHE_KEY)
        if cached is not None and cached[0] == cookie:
            return self.session_class(cached[1])
        session = super().open_session(app, request)
        if session is not None:
            request.environ[CACHE_KEY] = (cookie, dict(session))
        return session
