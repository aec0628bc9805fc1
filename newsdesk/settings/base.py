"""Settings for every environment; everything that differs comes from the environment.

See docs/configuration.md for each variable and its default.
"""

import warnings
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from newsdesk.lib.env import env, envbool, envint, envlist, persistent_secret

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
DATA_DIR = Path(env("NEWSDESK_DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY") or persistent_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "newsdesk.news",
    "newsdesk.images",
    "newsdesk.live",
    "newsdesk.demo",
    "newsdesk.accounts",
    "newsdesk.discussion",
    "newsdesk.distribution",
    "newsdesk.search",
    "newsdesk.readership",
    "newsdesk.api",
    "newsdesk.worker",
    "newsdesk.newsroom",
    "newsdesk.wire",
    "newsdesk.editions",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The edition's language comes from the URL prefix (/en/, /ru/); a bare
    # URL is sent to the reader's language by Accept-Language.
    "newsdesk.editions.middleware.EditionLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "newsdesk.news.middleware.SiteLookupMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "newsdesk.urls"
CSRF_FAILURE_VIEW = "newsdesk.news.views.csrf_failure"
ASGI_APPLICATION = "newsdesk.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsdesk.news.context_processors.site_chrome",
            ],
        },
    },
]
if not DEBUG:
    # Compiled templates are kept in memory: parsing them on every request
    # costs more than the rest of an article render.
    TEMPLATES[0]["APP_DIRS"] = False
    TEMPLATES[0]["OPTIONS"]["loaders"] = [
        (
            "django.template.loaders.cached.Loader",
            [
                "django.template.loaders.filesystem.Loader",
                "django.template.loaders.app_directories.Loader",
            ],
        )
    ]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'newsdesk.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while an editor saves; IMMEDIATE transactions make
    # concurrent writers queue instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=134217728; PRAGMA cache_size=-20000;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" is shared by every worker process: login rate limits and other
# counters must be. On one machine that is a folder (no service needed); with
# several machines, Redis (CACHE_URL=redis://host:6379/1).
# "fragments" holds rendered parts of pages, keyed on the content token
# (news/freshness.py), so each process may keep its own in memory.
CACHE_URL = env("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    ),
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsdesk-fragments",
        # Mostly rendered article bodies (~10 KB each) of the most read
        # articles: about 20 MB per worker at most.
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
    # Wagtail notes each rendition it looks up here; without this alias it
    # writes them to the default cache (a file each on the embedded default).
    # Renditions are rows in the database, so a process's own memory is enough.
    "renditions": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsdesk-renditions",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [PROJECT_DIR / "locale"]
# Dates in each edition's language (Russian months in the genitive); the
# templates name the format ({{ value|date:"DATETIME_FORMAT" }}).
FORMAT_MODULE_PATH = ["newsdesk.formats"]
# Each language edition is a translation of the site's home page tree
# (wagtail.contrib.simple_translation), served under its language prefix.
WAGTAIL_I18N_ENABLED = True
# Slugs are saved in Latin letters: the editor's slug field may show a Cyrillic
# headline as typed; the page form and pages saved from code transliterate it
# (editions/slugs.py), one readable spelling for both.
WAGTAIL_ALLOW_UNICODE_SLUGS = True
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
# Media files are served by the app itself for the embedded default; in
# production a reverse proxy or object storage serves MEDIA_URL instead.
SERVE_MEDIA = envbool("SERVE_MEDIA", True)
# Serving a media file streams it from a synchronous file iterator; under ASGI
# Django warns about that on every image. It is the expected path here.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous")

# Live coverage: how events reach every server process ("local", or a redis:// URL),
# and the demo's periodic entry (seconds; 0 = off, as outside the demo).
NEWSDESK_LIVE_BROKER = env("LIVE_BROKER_URL", "local")
NEWSDESK_LIVE_DEMO_INTERVAL = envint("LIVE_DEMO_INTERVAL", 0)

# Background tasks (search indexing, Wagtail's reference index, cache purges):
# kept in the database and run after the commit, outside the editor's request,
# by each server process ("server") or only by `newsdesk worker` ("worker").
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NEWSDESK_TASK_RUNNER = env("TASK_RUNNER", "server")

WAGTAIL_SITE_NAME = "newsdesk"
WAGTAILADMIN_BASE_URL = env("BASE_URL", "http://127.0.0.1:8000")
WAGTAILIMAGES_IMAGE_MODEL = "images.CreditedImage"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = envint("IMAGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 128_000_000
# Credits prefilled from the file's IPTC/XMP/EXIF, pixel limits read from the
# header before decoding, markup refused, file names made safe (images/forms.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "newsdesk.images.forms.CreditedImageForm"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_COMMENTS_ENABLED = True
TAGGIT_CASE_INSENSITIVE = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "csv", "xlsx"]

# Reader accounts (django-allauth): sign in with an email address, verified
# before the first comment. Staff sign in to the newsroom at /admin/ with the
# same user model; what separates them is permission, not a second table.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
ACCOUNT_ADAPTER = "newsdesk.accounts.adapter.ReaderAccountAdapter"
WAGTAILADMIN_USER_LOGIN_FORM = "newsdesk.accounts.forms.NewsroomLoginForm"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "newsdesk.accounts.forms.ReaderSignupForm"
# How allauth names a reader ("Signed in as ...", its emails): their display name.
ACCOUNT_USER_DISPLAY = "newsdesk.accounts.models.display_name_of"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    # A burst of 5 wrong passwords locks the account out for 5 minutes; never
    # more than 100 a day per account, nor 20 a minute from one address.
    "login_failed": "20/m/ip,5/5m/key,100/h/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}

# Email: SMTP when EMAIL_HOST is set; otherwise each message is written to a
# file under the data folder (the demo's "mailbox").
EMAIL_HOST = env("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = envint("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "newsdesk <news@localhost>")

# Content API: requests per client address, and the keys that unlock full text.
NEWSDESK_API_RATE = env("API_RATE", "120/m")
NEWSDESK_API_KEYS = set(envlist("API_KEYS", []))

# Discussion: posting limits per reader and per client address, per minute.
NEWSDESK_COMMENTS_PER_MINUTE = envint("COMMENTS_PER_MINUTE", 5)
NEWSDESK_COMMENTS_PER_MINUTE_PER_IP = envint("COMMENTS_PER_MINUTE_PER_IP", 30)

SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_HTTPS_PROXY", False) else None
)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
