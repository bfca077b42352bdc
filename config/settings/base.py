"""Settings shared by every environment.

Connection settings come from the environment first, then from the git-ignored
``.env`` that ``make services`` writes. Nothing secret has a default here.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# The open data the demo and the tests read: committed in data/ (see data/README.md).
DATA_DIR = Path(environ.Env().str("DATA_DIR", default=str(BASE_DIR / "data")))

env = environ.Env()
# Values already in the environment win over the file (read_env uses setdefault).
# Deployments that configure everything through the environment turn the file off.
if env.bool("DJANGO_READ_DOT_ENV", default=True):
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    # Django's admin, for superusers only (config/admin.py).
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    # Our apps, lowest layer first: an app imports only from the apps above it.
    "areas",
    "accounts",
    "alerts",
    "surveys",
    "engagement",
    "targeting",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages leave compressed. BREACH needs a secret in a compressed body next to text an
    # attacker controls: Django masks the CSRF token afresh in every response and this
    # middleware pads each response by a random length (Django 4.2+), which is what the
    # attack would have to see through; session cookies are headers, never compressed.
    "config.middleware.GZipMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PrivatePagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.sessions.StaffSessionMiddleware",
    "config.middleware.RefuseNulMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
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
                "config.context_processors.site",
            ],
        },
    },
]

# `make services` writes DATABASE_URL to .env; without it the first query says what to run.
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {"default": env.db_url_config(DATABASE_URL) if DATABASE_URL else {"NAME": ""}}
DATABASES["default"]["ENGINE"] = "django.contrib.gis.db.backends.postgis"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ca",
    }
}

# --- Accounts and sign-in (django-allauth) -------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
# Members sign up with their postcode, preferences and consent (accounts/members/forms.py).
ACCOUNT_FORMS = {"signup": "accounts.members.forms.MemberSignupForm"}
# Bot check on sign-up: a form sent sooner than this after it was shown is refused.
MEMBERS_BOT_MIN_SECONDS = env.float("MEMBERS_BOT_MIN_SECONDS", default=3)
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
# Limits that slow an attacker without letting anyone lock others out (accounts.ratelimits):
# failed sign-ins and codes count per account *and* address, in growing steps; what counts
# per address alone is a flood guard far above a police station's or an event's traffic;
# sign-ups past a number an hour meet a slower bot check rather than a block.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "60/m/ip,5/5m/key,20/h/key",
    "signup": "",
    "member_signup": "20/h/ip",
    "reset_password": "20/m/ip,5/5m/key",
    "reset_password_email": "5/m/ip,3/h/key",
    "confirm_email": "1/3m/key",
    # Officers registering residents at the door.
    "doorstep": "30/h/user",
}
# A sign-up from an address past its "member_signup" limit must have had its form open
# this long (instead of MEMBERS_BOT_MIN_SECONDS).
MEMBERS_BOT_SLOW_SECONDS = env.float("MEMBERS_BOT_SLOW_SECONDS", default=60)
# Staff sessions end after 12 hours, or 30 minutes without a request (accounts.sessions).
STAFF_SESSION_MAX_SECONDS = 12 * 3600
STAFF_SESSION_IDLE_SECONDS = 30 * 60
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Community Alert")

# --- Email -----------------------------------------------------------------------------
# `make services` starts a local SMTP server (alerts.smtp_server) and writes EMAIL_BACKEND,
# EMAIL_HOST, EMAIL_PORT and ALERTS_MAIL_DIR for it to .env; without them mail goes to
# the console.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Community Alert <noreply@localhost>")
# Where the local SMTP server keeps what it receives (listed at /dev/mail/ when DEBUG).
ALERTS_MAIL_DIR = env.str("ALERTS_MAIL_DIR", default="")
# django-anymail (production's email provider; config/settings/production.py fills it).
ANYMAIL: dict[str, str] = {}

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", _("English")), ("pl", _("Polski"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))

# --- Security headers (the CSP is set by config.middleware) ------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# GDAL 3.6 from Debian bookworm is older than Django asks for; it works for what we use.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
# Queues by kind of work; every worker command (scripts/run.sh, docker-compose.yml) serves all.
CELERY_WORKER_QUEUES = ("default", "alerts", "geo", "imports")
CELERY_TASK_TIME_LIMIT = 60 * 30
CELERY_TASK_SOFT_TIME_LIMIT = 60 * 25
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic tasks; django-celery-beat copies these into its database schedule at start-up.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {}
# Quarterly survey: invite members who are due (and send reminders), every 15 minutes.
CELERY_BEAT_SCHEDULE["surveys-dispatch"] = {
    "task": "surveys.dispatch",
    "schedule": crontab(minute="*/15"),
    "options": {"queue": "default", "expires": 14 * 60},
}
# The outbox: queue again what was never picked up; fail what a lost worker left.
CELERY_BEAT_SCHEDULE["alerts-sweep-outbox"] = {
    "task": "alerts.sweep_outbox",
    "schedule": crontab(minute="*/10"),
    "options": {"queue": "alerts", "expires": 9 * 60},
}
# Street and ward scores: the latest month again with the day's members and survey answers.
CELERY_BEAT_SCHEDULE["targeting-scores-nightly"] = {
    "task": "targeting.tasks.scores_compute_latest",
    "schedule": crontab(hour=2, minute=30),
    "options": {"queue": "default"},
}
# engagement: each team's digest of unhandled replies (every 3 days; checked daily).
CELERY_BEAT_SCHEDULE["engagement-digests"] = {
    "task": "engagement.digests",
    "schedule": crontab(hour=7, minute=0),
    "options": {"queue": "default", "expires": 6 * 60 * 60},
}
# targeting: each officer's weekly briefing for their wards, through the outbox (one per
# officer and ISO week: a second run in the week makes nothing).
CELERY_BEAT_SCHEDULE["targeting-weekly-briefings"] = {
    "task": "targeting.tasks.briefings_weekly",
    "schedule": crontab(day_of_week="mon", hour=6, minute=30),
    "options": {"queue": "default", "expires": 6 * 60 * 60},
}
# Retention: warn members inactive for years, erase them after the notice period.
CELERY_BEAT_SCHEDULE["accounts-retention"] = {
    "task": "accounts.retention",
    "schedule": crontab(hour=3, minute=15),
    "options": {"queue": "default"},
}
# Crime imports from the upload page: fail what a lost worker left, queue what was lost.
CELERY_BEAT_SCHEDULE["targeting-sweep-imports"] = {
    "task": "targeting.tasks.import_jobs_sweep",
    "schedule": crontab(minute="*/10"),
    "options": {"queue": "imports", "expires": 9 * 60},
}

# --- Messages and the quarterly survey --------------------------------------------------
# Text messages: a class with send(to=, body=); the default writes them to the log.
ALERTS_SMS_BACKEND = env.str("ALERTS_SMS_BACKEND", default="alerts.channels.sms.ConsoleBackend")
ALERTS_SWEEP_LIMIT = env.int("ALERTS_SWEEP_LIMIT", default=5000)
# Members are invited every SURVEYS_CYCLE_MONTHS from registration, each at their own
# hour within SURVEYS_SPREAD_DAYS of the date, so a batch of registrations is not
# invited all at once. A missed invitation is still sent up to SURVEYS_CATCH_UP_DAYS late.
SURVEYS_CYCLE_MONTHS = 3
SURVEYS_SPREAD_DAYS = env.int("SURVEYS_SPREAD_DAYS", default=7)
SURVEYS_CATCH_UP_DAYS = env.int("SURVEYS_CATCH_UP_DAYS", default=14)
SURVEYS_REMINDER_DAYS = env.int("SURVEYS_REMINDER_DAYS", default=7)
SURVEYS_OPEN_DAYS = env.int("SURVEYS_OPEN_DAYS", default=28)
SURVEYS_DISPATCH_BATCH = env.int("SURVEYS_DISPATCH_BATCH", default=500)
# Invitations: members are looked at in ranges of this many ids, one transaction each.
SURVEYS_DISPATCH_MEMBERS = env.int("SURVEYS_DISPATCH_MEMBERS", default=20_000)

# --- Disclosure control (core.disclosure) -----------------------------------------------
# Counts of people under this are never shown: pages, charts, exports and score inputs.
DISCLOSURE_THRESHOLD = env.int("DISCLOSURE_THRESHOLD", default=10)
# Retention (accounts.retention): a member inactive this long is warned, then erased
# this many days after the warning unless they are active again.
MEMBERS_RETENTION_INACTIVE_DAYS = env.int("MEMBERS_RETENTION_INACTIVE_DAYS", default=3 * 365)
MEMBERS_RETENTION_GRACE_DAYS = env.int("MEMBERS_RETENTION_GRACE_DAYS", default=30)

# --- Maps ---------------------------------------------------------------------------------
# Background tiles only when a tile server is configured: pages must work offline.
MAP_TILE_URL = env.str("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="")

# --- Project --------------------------------------------------------------------------------
# Absolute links in emails and messages sent by workers, which have no request.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_NAME = env.str("SITE_NAME", default="Community Alert")
FORCE_NAME = env.str("FORCE_NAME", default="Humberside Police")
# The root of the area tree: the police force area (ONS code E23...).
FORCE_CODE = env.str("FORCE_CODE", default="E23000012")
FORCE_AREA_NAME = env.str("FORCE_AREA_NAME", default="Humberside")
# Data uploads (the import pages): at most this many files, and this many bytes in all,
# per upload. The files are kept in the database until the worker has run the job.
IMPORT_MAX_FILES = env.int("IMPORT_MAX_FILES", default=24)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=200 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # GEOS notices on invalid source polygons: the importers repair and report them.
        "django.contrib.gis": {"level": "ERROR"},
    },
}
