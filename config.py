"""Configuration classes read from the environment (and an optional `.env`).

`development` is the default; `testing` is used by the test-suite; `production` refuses to start
without an explicit SECRET_KEY. Every setting the README documents is read here and nowhere else.
"""
import os
import secrets
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

load_dotenv()

BASE_DIR = Path(__file__).resolve().parent


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _env_list(name: str) -> list[str] | None:
    value = os.environ.get(name, "").strip()
    return [item.strip() for item in value.split(",") if item.strip()] or None


def _persistent_secret_key(data_dir: Path) -> str:
    """Generate a secret key once and keep it in DATA_DIR (development only)."""
    key_file = data_dir / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    """Settings shared by every environment; each is read from the environment once."""

    ENV_NAME = "base"
    TESTING = False

    def __init__(self) -> None:
        self.DATA_DIR = Path(os.environ.get("DATA_DIR") or BASE_DIR / "instance").resolve()
        self.DATA_DIR.mkdir(parents=True, exist_ok=True)
        # Where blobs live: a local folder (the default, DATA_DIR/uploads) or s3://bucket/prefix
        # (app/core/blobstore.py). Spooled uploads always wait in UPLOAD_DIR/tmp on this machine.
        self.STORAGE_URL = os.environ.get("STORAGE_URL", "").strip()
        self.UPLOAD_DIR = self.DATA_DIR / "uploads"
        if self.STORAGE_URL and not self.STORAGE_URL.startswith("s3://"):
            self.UPLOAD_DIR = Path(self.STORAGE_URL.removeprefix("file://")).resolve()
        self.S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL") or None
        self.S3_PRESIGN = os.environ.get("S3_PRESIGN") == "1"
        self.S3_PRESIGN_SECONDS = _env_int("S3_PRESIGN_SECONDS", 60)
        self.S3_MULTIPART_MB = _env_int("S3_MULTIPART_MB", 8)
        self.INDEX_DIR = self.DATA_DIR / "index"
        # Seconds between two looks of a server process at the search change log.
        self.SEARCH_POLL_INTERVAL = float(os.environ.get("SEARCH_POLL_INTERVAL") or 0.5)
        # processes that build a whole index of 1,000 case studies or more (docs/search.md)
        self.SEARCH_BUILD_PROCESSES = _env_int("SEARCH_BUILD_PROCESSES", min(os.cpu_count() or 1, 4))
        # A rebuild writes the text fields' postings in bulk (app/search/writer.py); 0 = Whoosh's
        # own writers (the same index, three times the CPU)
        self.SEARCH_BULK_WRITER = os.environ.get("SEARCH_BULK_WRITER", "1") != "0"
        self.SQLALCHEMY_DATABASE_URI = self._database_url()
        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self._fallback_secret_key()
        self.HOST = os.environ.get("HOST", "127.0.0.1")
        self.PORT = _env_int("PORT", 5000)
        self.MAX_UPLOAD_MB = _env_int("MAX_UPLOAD_MB", 100)
        # Werkzeug refuses bigger bodies with 413 before the view runs; a little room for the form.
        self.MAX_CONTENT_LENGTH = self.MAX_UPLOAD_MB * 1024 * 1024 + 64 * 1024
        self.PROJECT_QUOTA_MB = _env_int("PROJECT_QUOTA_MB", 2048)
        self.SQLALCHEMY_ENGINE_OPTIONS = self._engine_options()
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self._cache_settings()
        self.RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/minute")
        self.LOGIN_ACCOUNT_RATE_LIMIT = os.environ.get("LOGIN_ACCOUNT_RATE_LIMIT", "5/minute")
        self.SOCKETIO_ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
        self.CHAT_RATE_LIMIT = os.environ.get("CHAT_RATE_LIMIT", "10/5seconds")
        # the other chat events, each per user with its own window
        self.CHAT_JOIN_RATE_LIMIT = os.environ.get("CHAT_JOIN_RATE_LIMIT", "30/minute")
        self.CHAT_HISTORY_RATE_LIMIT = os.environ.get("CHAT_HISTORY_RATE_LIMIT", "60/minute")
        self.CHAT_EDIT_RATE_LIMIT = os.environ.get("CHAT_EDIT_RATE_LIMIT", "20/minute")
        self.CHAT_DELETE_RATE_LIMIT = os.environ.get("CHAT_DELETE_RATE_LIMIT", "20/minute")
        self.CHAT_TYPING_RATE_LIMIT = os.environ.get("CHAT_TYPING_RATE_LIMIT", "60/minute")
        self.CHAT_READ_RATE_LIMIT = os.environ.get("CHAT_READ_RATE_LIMIT", "120/minute")
        # seconds over which presence changes of one project are coalesced into one broadcast
        self.CHAT_PRESENCE_DELAY = float(os.environ.get("CHAT_PRESENCE_DELAY", "0.5"))
        # The lean broadcast of app/core/fanout.py (private python-socketio/engineio internals);
        # 0 = python-socketio's stock manager. Also off by itself if the internals are gone.
        self.CHAT_LEAN_FANOUT = os.environ.get("CHAT_LEAN_FANOUT", "1") != "0"
        # Templates' gettext bound once per render (app/core/template_gettext.py); 0 = the
        # stock Flask-Babel callables, which look the translations up on every `_()`.
        self.TEMPLATE_GETTEXT_PER_RENDER = os.environ.get("TEMPLATE_GETTEXT_PER_RENDER",
                                                          "1") != "0"
        # Flask-Babel's per-request context read from Flask's contextvar directly
        # (app/core/babel_context.py); 0 = Flask-Babel's own lookup through `flask.g`.
        self.BABEL_FAST_CONTEXT = os.environ.get("BABEL_FAST_CONTEXT", "1") != "0"
        # Templates' `|datetime` and `|date` through Babel's patterns compiled once per locale
        # (app/core/date_formats.py); 0 = Flask-Babel's format_datetime / format_date.
        self.FAST_DATE_FORMAT = os.environ.get("FAST_DATE_FORMAT", "1") != "0"
        # Templates' url_for remembers static and argument-free URLs per application
        # (app/core/template_urls.py); 0 = Flask's url_for for every link.
        self.TEMPLATE_URL_CACHE = os.environ.get("TEMPLATE_URL_CACHE", "1") != "0"
        # Socket.IO connections one process holds (0 = sized from its fd limit and memory:
        # app/core/capacity.py); new ones beyond it are refused at once with a 503.
        self.MAX_CONNECTIONS = _env_int("MAX_CONNECTIONS", 0)
        self.UPLOAD_RATE_LIMIT = os.environ.get("UPLOAD_RATE_LIMIT", "30/minute")
        self.JOIN_REQUEST_RATE_LIMIT = os.environ.get("JOIN_REQUEST_RATE_LIMIT", "10/hour")
        # Co-editing of documents (app/documents/coedit/): each event per user
        self.COEDIT_JOIN_RATE_LIMIT = os.environ.get("COEDIT_JOIN_RATE_LIMIT", "60/minute")
        self.COEDIT_SYNC_RATE_LIMIT = os.environ.get("COEDIT_SYNC_RATE_LIMIT", "60/minute")
        self.COEDIT_UPDATE_RATE_LIMIT = os.environ.get("COEDIT_UPDATE_RATE_LIMIT", "40/second")
        self.COEDIT_AWARENESS_RATE_LIMIT = os.environ.get("COEDIT_AWARENESS_RATE_LIMIT",
                                                          "40/second")
        self.COEDIT_SAVE_RATE_LIMIT = os.environ.get("COEDIT_SAVE_RATE_LIMIT", "20/minute")
        # a revision is cut after this many seconds without edits
        self.COEDIT_REVISION_IDLE_SECONDS = float(
            os.environ.get("COEDIT_REVISION_IDLE_SECONDS", "30"))
        # largest update (and state vector) and awareness message a client may send, in bytes
        self.COEDIT_MAX_UPDATE_BYTES = _env_int("COEDIT_MAX_UPDATE_BYTES", 262_144)
        self.COEDIT_MAX_AWARENESS_BYTES = _env_int("COEDIT_MAX_AWARENESS_BYTES", 16_384)
        self.FILES_MAX_IMAGE_PIXELS = _env_int("FILES_MAX_IMAGE_PIXELS", 64_000_000)
        # Redis pub/sub channel (and key prefix) of Socket.IO; separate apps/tests can share a Redis.
        self.SOCKETIO_CHANNEL = os.environ.get("SOCKETIO_CHANNEL", "socketio")
        self.ALLOWED_ORIGINS = _env_list("ALLOWED_ORIGINS")
        self.SMTP_HOST = os.environ.get("SMTP_HOST") or None
        self.SMTP_PORT = _env_int("SMTP_PORT", 25)
        self.SMTP_USER = os.environ.get("SMTP_USER") or None
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
        self.SMTP_FROM = os.environ.get("SMTP_FROM", "noreply@museum-space.eu")
        self.SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "0") == "1"
        self.BASE_URL = os.environ.get("BASE_URL", f"http://{self.HOST}:{self.PORT}")
        # OAI-PMH (app/archive/oai.py): the namespace of record identifiers
        # (oai:NAMESPACE:case-study/SLUG, a domain name) and the address Identify gives
        self.OAI_REPOSITORY_IDENTIFIER = os.environ.get("OAI_REPOSITORY_IDENTIFIER",
                                                        "museum-space.eu")
        self.OAI_ADMIN_EMAIL = os.environ.get("OAI_ADMIN_EMAIL", "archive@museum-space.eu")
        self.OAI_PAGE_SIZE = max(1, _env_int("OAI_PAGE_SIZE", 100))  # records per list page
        # How many reverse proxies (nginx…) sit in front: their X-Forwarded-* headers are trusted,
        # so rate limits count the real client address. 0 = trust none (direct exposure).
        self.PROXY_COUNT = _env_int("PROXY_COUNT", 0)
        # Operations (app/core/metrics.py, app/core/logs.py, /healthz/ready): /metrics is off
        # unless METRICS_ENABLED=1, and then open to `Authorization: Bearer METRICS_TOKEN` or to
        # the addresses (or networks) in METRICS_ALLOW_FROM only.
        self.METRICS_ENABLED = os.environ.get("METRICS_ENABLED", "0") == "1"
        self.METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
        self.METRICS_ALLOW_FROM = _env_list("METRICS_ALLOW_FROM") or []
        self.LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").strip().upper()
        # /healthz/ready fails while this process's search index trails the database by more
        # than this many changes
        self.READY_MAX_INDEX_LAG = _env_int("READY_MAX_INDEX_LAG", 500)

    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    LANGUAGES = ["en", "it", "fr", "de", "es", "pt", "pl", "nl"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    PASSWORD_MIN_LENGTH = 10
    # A sign-in session unseen for this long has ended (app/auth/sessions.py); "remember me"
    # lasts as long, not Flask-Login's default of a year.
    SESSION_IDLE_DAYS = 30
    REMEMBER_COOKIE_DURATION = timedelta(days=SESSION_IDLE_DAYS)

    def _database_url(self) -> str:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{self.DATA_DIR / 'museum-space.db'}"
        return _normalise_database_url(url)

    def _engine_options(self) -> dict:
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
            options = {"connect_args": {"timeout": 30, "check_same_thread": False}}
            if ":memory:" not in self.SQLALCHEMY_DATABASE_URI and \
                    self.SQLALCHEMY_DATABASE_URI not in ("sqlite://", "sqlite:///"):
                # Under eventlet every socket event is a green thread with its own session: keep
                # enough connections pooled that bursts reuse them instead of opening new ones.
                options.update(pool_size=20, max_overflow=40)
            return options
        return {"pool_pre_ping": True}

    def _fallback_secret_key(self) -> str:
        return _persistent_secret_key(self.DATA_DIR)

    def _cache_settings(self) -> None:
        """The application cache (app/core/pagecache.py): Redis when REDIS_URL is set, shared by
        every process; else in-process."""
        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "SimpleCache"
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "museum-space:")
        self.CACHE_DEFAULT_TIMEOUT = _env_int("CACHE_TIMEOUT", 600)
        self.CACHE_THRESHOLD = 2000  # entries kept in-process
        self.PUBLIC_PAGE_MAX_AGE = _env_int("PUBLIC_PAGE_MAX_AGE", 60)


def _normalise_database_url(url: str) -> str:
    """Accept the usual `postgres://` and `postgresql://` spellings and use psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class DevelopmentConfig(Config):
    ENV_NAME = "development"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = False
    PASSWORD_HASH_FAST = True

    def __init__(self) -> None:
        super().__init__()
        self.SOCKETIO_ASYNC_MODE = "threading"
        # Tests opt in to Redis explicitly (the `redis_url` fixture), never by accident.
        self.REDIS_URL = None
        self.RATELIMIT_STORAGE_URI = "memory://"
        self._cache_settings()
        self.SMTP_HOST = None
        self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(
            os.environ.get("TEST_DATABASE_URL") or self.SQLALCHEMY_DATABASE_URI
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = self._engine_options()
        self.SERVER_NAME = None


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True

    def _fallback_secret_key(self) -> str:
        raise RuntimeError("SECRET_KEY must be set in production; refusing to start without it.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(name: str | None = None) -> Config:
    """Build the configuration named by `name`, else by APP_ENV, else development."""
    name = name or os.environ.get("APP_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"Unknown APP_ENV {name!r}; choose one of {', '.join(CONFIGS)}.")
    return CONFIGS[name]()
