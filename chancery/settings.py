"""Chancery's one settings module, driven by environment variables (see README)."""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CHANCERY_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, *, default: bool) -> bool:
    """Read an on/off variable; anything but the listed words is a configuration error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be on/off (1/0, true/false, yes/no), not {raw!r}")


def env_list(name: str, *, default: list[str]) -> list[str]:
    """Read a comma-separated list."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, *, default: int) -> int:
    """Read a whole number."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_rate(name: str, *, default: str) -> str:
    """Read a rate such as 60/m (count / seconds, minutes, hours or days); empty: no limit."""
    raw = os.environ.get(name, default).strip()
    if raw and not re.fullmatch(r"[1-9]\d*/\d*[smhd]", raw):
        raise ImproperlyConfigured(f"{name} must be a rate such as 60/m or 1000/h, not {raw!r}")
    return raw


def read_or_create_secret_key(path: Path) -> str:
    """Return the key kept in var/, generating it once so sessions survive restarts."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Created with 0600 so other local users cannot read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


DEBUG = env_bool("DEBUG", default=False)
# A production server must be given the key every server shares (chancery.core.checks).
SECRET_KEY_GIVEN = bool(os.environ.get("SECRET_KEY"))
SECRET_KEY = os.environ.get("SECRET_KEY") or read_or_create_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "modeltranslation",  # before the admin, as django-modeltranslation requires
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "simple_history",
    "axes",
    "ninja",
    # Before django-tasks-db: its `db_worker` command is ours (a worker that outlives a lost
    # database and fails the jobs of dead workers, chancery/core/management/commands/).
    "chancery.core",
    "django_tasks_db",  # the queue of background jobs, kept in the database
    "chancery.accounts",  # before allauth: its templates under account/ and mfa/ are ours
    # Account flows (e-mail addresses, password reset, second factor): django-allauth.
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "chancery.directory",
    "chancery.draws",
    "chancery.agreements",
    "chancery.programmes",
    "chancery.calls",
    "chancery.events",
    "chancery.allocation",
    "chancery.reports",
    "chancery.mun",
    "chancery.notifications",
    "chancery.selection",
    "chancery.site",  # the top layer: what knows every app (home, menu, jobs pages, demo)
]

MIDDLEWARE = [
    # Outermost: the request id is on every log line, the latency covers every middleware.
    "chancery.core.observability.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the session and authentication: they are the first to query the database.
    "chancery.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "chancery.core.ratelimits.RateLimitMiddleware",
    "chancery.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "chancery.accounts.middleware.RequireSecondFactorMiddleware",  # REQUIRE_2FA
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "chancery.core.access.DenyByDefaultMiddleware",
    # Axes must be last: it turns lockouts raised by authentication into a response.
    "axes.middleware.AxesMiddleware",
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
ROOT_URLCONF = "chancery.urls"
WSGI_APPLICATION = "chancery.wsgi.application"
ASGI_APPLICATION = "chancery.asgi.application"

TEMPLATES: list[dict[str, Any]] = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "chancery.site.context.navigation",
            ],
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chancery.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN, so two writers queue instead of failing half-way with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Reports and exports may read a replica (chancery/core/replica.py); tests mirror the primary,
# so there the replica holds what the test wrote.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    for _database in (d for d in DATABASES.values() if "postgresql" in d["ENGINE"]):
        # Behind PgBouncer in transaction mode a cursor cannot outlive its transaction.
        _database["DISABLE_SERVER_SIDE_CURSORS"] = env_bool("DATABASE_PGBOUNCER", default=False)
        if env_bool("DATABASE_POOL", default=False):  # psycopg's pool, in each process
            _database["CONN_MAX_AGE"] = 0  # the pool keeps the connections, not Django
            _database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": env_int("DATABASE_POOL_MIN", default=2),
                "max_size": env_int("DATABASE_POOL_MAX", default=10),
                "timeout": 10,
            }

# The cache: Redis when REDIS_URL is set (redis://host:6379/0), shared by every app server and
# worker (list counts, dashboard figures, the projector's rendering, the readiness probe);
# without it each process keeps its own in memory, which is right for one machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "chancery"),
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a paused address or account is refused
    "chancery.accounts.backends.AuthenticationBackend",  # allauth's: user name or e-mail
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Account flows by django-allauth (chancery/accounts/adapter.py): sign-in by user name or
# e-mail address, password reset by e-mail, a changed address used only once verified, TOTP
# with recovery codes. Nobody signs up alone: accounts come by invitation.
ACCOUNT_ADAPTER = "chancery.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "chancery.accounts.forms.LoginForm",
    "reset_password": "chancery.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "chancery.accounts.forms.ResetPasswordKeyForm",
    "add_email": "chancery.accounts.forms.AddEmailForm",
}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"  # accounts made before allauth have no verified address
ACCOUNT_CHANGE_EMAIL = True  # one address; a new one replaces it once its link is opened
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Chancery] "
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset asked for an unknown address sends nothing
ACCOUNT_LOGOUT_REDIRECT_URL = "accounts:login"
ACCOUNT_SESSION_REMEMBER = False  # SESSION_EXPIRE_AT_BROWSER_CLOSE decides
# Wrong passwords are throttled by django-axes and sign-ins by RATE_LIMIT_SIGN_IN (below), not
# by allauth (accounts/adapter.py); allauth's failed-login limit (10 a minute per address, 5 in
# 5 minutes per account) still counts wrong second-factor codes, its other limits (password
# reset e-mails...) count per address too.
ACCOUNT_RATE_LIMITS = {"login": False}
MFA_ADAPTER = "chancery.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "activate_totp": "chancery.accounts.forms.ActivateTOTPForm",
    "authenticate": "chancery.accounts.forms.AuthenticateForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# An address waiting for its link opens nothing (no sign-in, no password reset: accounts/
# backends.py), so a second factor does not have to block changing the address.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_TOTP_ISSUER = "Chancery"
MFA_TOTP_TOLERANCE = 1  # a code of the 30 seconds before or after counts too (clock drift)
# REQUIRE_2FA=on: officers and administrators must set up a second factor before anything else
# (chancery/accounts/middleware.py).
REQUIRE_2FA = env_bool("REQUIRE_2FA", default=False)
# An invitation link (chancery/accounts/services.py: invite) works this many days.
INVITATION_DAYS = env_int("INVITATION_DAYS", default=14)
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
# A sign-in lasts a working day at most (SESSION_COOKIE_AGE seconds, counted from the sign-in)
# and, by default, ends with the browser too: offices share computers.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", default=True)

# Sign-in throttling (chancery/accounts/lockout.py): wrong passwords are counted per client
# address (any username) and, with a higher limit, per account at addresses the account has not
# signed in from. Behind a proxy the address is read from X-Forwarded-For, and only then:
# TRUSTED_PROXY_COUNT is how many proxies in front of the app each append to it.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("LOGIN_ACCOUNT_FAILURE_LIMIT", default=20)
# Requests per caller (chancery/core/ratelimits.py), counted in the cache: shared across servers
# with REDIS_URL. A rate is "count/period" (s, m, h, d); empty turns the limit off.
RATELIMIT_ENABLE = env_bool("RATE_LIMITS", default=True)
RATE_LIMIT_API = env_rate("RATE_LIMIT_API", default="1200/m")
RATE_LIMIT_VERIFY = env_rate("RATE_LIMIT_VERIFY", default="60/m")
RATE_LIMIT_SIGN_IN = env_rate("RATE_LIMIT_SIGN_IN", default="30/m")
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_HANDLER = "chancery.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "chancery.core.clients.client_address"
AXES_USERNAME_CALLABLE = "chancery.accounts.lockout.account_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Kazakh month names and date formats Django's own kk locale lacks (chancery/core/formats/kk).
FORMAT_MODULE_PATH = ["chancery.core.formats"]
# Content per language (organisation and programme names, programme descriptions, event
# titles): the reader's language, else English, else any language that is filled.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "ru", "kk")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "ru", "kk")}
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files: the MEDIA_ROOT folder, or an S3-compatible bucket when S3_BUCKET is set (then
# several app servers share the uploads; needs the `s3` extra: pip install 'chancery[s3]').
S3_BUCKET = os.environ.get("S3_BUCKET", "")
_s3_options = {
    "bucket_name": S3_BUCKET,
    "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("S3_REGION") or None,
    "location": os.environ.get("S3_PREFIX", ""),
    "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,  # else boto3's own lookup
    "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
    "addressing_style": os.environ.get("S3_ADDRESSING_STYLE") or None,  # "path" for MinIO
    "file_overwrite": False,
    "default_acl": None,
    "querystring_auth": True,
}
_default_storage: dict[str, object] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {k: v for k, v in _s3_options.items() if v is not None},
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_COLLECTED", default=False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Without collectstatic (development, tests) whitenoise serves straight from the finders.
WHITENOISE_USE_FINDERS = not env_bool("STATIC_COLLECTED", default=False)

# The largest uploaded file (photos, imports, reports), checked by chancery.core.validators.
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", default=10)
if MAX_UPLOAD_MB < 1:
    raise ImproperlyConfigured(f"MAX_UPLOAD_MB must be 1 or more, not {MAX_UPLOAD_MB}")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

SECURE_CSP: dict[str, list[str] | str] = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Behind HTTPS in production: HTTPS=on turns on redirects, HSTS and secure cookies.
HTTPS = env_bool("HTTPS", default=False)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    # Load balancers and Docker probe these over HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^(?:healthz|livez|readyz)$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# E-mail: every message goes to the outbox first (the `default` mailer, a table), and a
# background task sends it through the `delivery` mailer: SMTP in production (EMAIL_HOST...),
# files in var/mail/ when DEBUG is on (one .log file a worker, each message in full, so the
# demo's mail can be read without flooding the terminal). A failed send is retried up to
# MAIL_MAX_ATTEMPTS times.
_mail_options: dict[str, object] = {
    "host": os.environ.get("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", default=25),
    "use_tls": env_bool("EMAIL_USE_TLS", default=False),
    "timeout": env_int("EMAIL_TIMEOUT", default=30),
}
if os.environ.get("EMAIL_USER"):
    _mail_options["username"] = os.environ["EMAIL_USER"]
    _mail_options["password"] = os.environ.get("EMAIL_PASSWORD", "")
MAILERS: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "chancery.notifications.backends.OutboxBackend"},
    "delivery": {
        "BACKEND": os.environ.get("EMAIL_BACKEND")
        or (
            "django.core.mail.backends.filebased.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend"
        ),
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")}
        if DEBUG and not os.environ.get("EMAIL_BACKEND")
        else _mail_options,
    },
}
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", default=12)
MAIL_KEEP_DAYS = env_int("MAIL_KEEP_DAYS", default=30)  # sent mail is then deleted
# The address of this site as people reach it, for the links in e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chancery@localhost")

# Logs on standard error: text, or one JSON object a line (LOG_FORMAT=json) for a collector;
# each line carries the id of the request it was written for (core/observability.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "chancery.core.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
# Who may read /metrics besides superusers: a scraper sending `Authorization: Bearer <token>`.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

API_PAGE_SIZE = 50
# Finished jobs (their results and files) are forgotten after this many days (core/schedule.py).
JOB_RESULTS_DAYS = env_int("JOB_RESULTS_DAYS", default=30)

# Background jobs (imports, exports, certificates, allocation runs): Django's tasks framework with
# the queue in the database, so one machine needs nothing more; `chancery db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}
