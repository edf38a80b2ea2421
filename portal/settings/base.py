"""Settings shared by every environment. Safe for production by default: DEBUG is off and
everything that differs between machines is read from the environment (see env.py)."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import (
    build_caches,
    build_databases,
    build_storages,
    env_bool,
    env_dict,
    env_int,
    env_list,
    env_str,
    session_engine,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
# Encrypts ID and phone numbers at rest. Changing it makes stored numbers unreadable.
FIELD_ENCRYPTION_KEY = env_str("FIELD_ENCRYPTION_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "home",
    "notices",
    "policies",
    "guides",
    "portal.core",
    "enterprise_business",
    "finance_products",
    "scoring_engine",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.contrib.table_block",
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
    "django_filters",
    "storages",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.csp.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and auth: a cached anonymous page is answered without touching them.
    "home.cache.AnonymousPageCacheMiddleware",
    # The request's Wagtail site and 门户设置 from the worker's memory (no query per page).
    "home.sites.SiteSettingsMiddleware",
    # Wagtail pages' routes from the worker's memory (no walk down the page tree per request).
    "home.routes.PageRouteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Right after sessions: pushes the idle expiry forward, writing at most once a minute.
    "portal.core.sessions.IdleTimeoutMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A staff user's permissions and Wagtail profile from the worker's memory until they change.
    "portal.core.sidebar.KnownRightsMiddleware",
    "portal.core.audit.AuditContextMiddleware",
    "portal.privacy.PersonalPagesNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the outcome of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

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
                "wagtail.contrib.settings.context_processors.settings",
                "enterprise_business.context_processors.enterprise_progress",
            ],
        },
    },
]

FORM_RENDERER = "portal.core.forms.PortalFormRenderer"

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = build_databases(BASE_DIR / "db.sqlite3")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = build_caches(directory=BASE_DIR / "cache")
# Rendered public pages are kept this long at most; publishing anything clears them at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# Query parameters that change what a cached page shows; any other parameter skips the cache.
PAGE_CACHE_QUERY_PARAMETERS = {"page"}
# Views that are never Wagtail pages: not even looked up in the page cache.
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/search/", "/health/", "/accounts/", "/enterprise/",
                                "/static/", "/media/")

AUTH_USER_MODEL = "enterprise_business.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "enterprise_business.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "enterprise_business.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "enterprise_business.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "enterprise_business.accounts.passwords.NumericPasswordValidator"},
    {"NAME": "enterprise_business.accounts.passwords.LettersAndDigitsValidator"},
]
LOGIN_URL = "/accounts/login/"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked accounts and addresses before any password check.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, loading an account with its enterprise in one query.
    "enterprise_business.accounts.backends.AccountBackend",
]
# Login lockout (django-axes): 5 failures lock the account, and 5 the address, for 15
# minutes; a success clears the count. Also guards the Wagtail admin login.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "enterprise_business/accounts/locked_out.html"
AXES_USERNAME_CALLABLE = "enterprise_business.accounts.views.axes_username"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["password", "password1", "password2", "sms_code", "captcha_token"]

SMS_BACKEND = env_str("SMS_BACKEND", "portal.core.notifications.sms.OutboxBackend")
# Tencent Cloud SMS (portal.core.notifications.gateways.TencentCloudBackend): the account, the
# registered signature, and the ID Tencent gave each catalogue template (name=ID,name=ID,…).
TENCENTCLOUD_SECRET_ID = env_str("TENCENTCLOUD_SECRET_ID")
TENCENTCLOUD_SECRET_KEY = env_str("TENCENTCLOUD_SECRET_KEY")
SMS_SDK_APP_ID = env_str("SMS_SDK_APP_ID")
SMS_SIGN_NAME = env_str("SMS_SIGN_NAME")
SMS_TEMPLATE_IDS = env_dict("SMS_TEMPLATE_IDS")
SMS_REGION = env_str("SMS_REGION", "ap-guangzhou")
SMS_ENDPOINT = env_str("SMS_ENDPOINT", "sms.tencentcloudapi.com")
SMS_ENDPOINT_PROTOCOL = env_str("SMS_ENDPOINT_PROTOCOL", "https")
REGISTRY_PROVIDER = env_str("REGISTRY_PROVIDER", "enterprise_business.imports.registry.TableRegistryProvider")

# Idle sessions end after 30 minutes (MLPS): requests push the expiry forward, writing the
# session at most once a minute (portal.core.sessions.IdleTimeoutMiddleware, which replaces
# SESSION_SAVE_EVERY_REQUEST's write on every request).
SESSION_COOKIE_AGE = 1800
SESSION_SAVE_EVERY_REQUEST = False
# With Redis (shared by every worker) a session is read from it, not from its database row —
# a query less on every logged-in page (issue 21); written to both. Without Redis the cache
# is each process's own memory, which a logout in another process would not empty: the
# database alone.
SESSION_ENGINE = session_engine()
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
# Chinese for the strings Wagtail's own zh_Hans catalogue lacks (compiled by `make messages`).
LOCALE_PATHS = [PROJECT_DIR / "locale"]

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "static")
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "private_media")
STORAGES = build_storages(MEDIA_ROOT, PRIVATE_MEDIA_ROOT)
WHITENOISE_MAX_AGE = 3600

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page inside an admin iframe of the same origin.
X_FRAME_OPTIONS = "SAMEORIGIN"

# Public media may live on S3: its origin is allowed for images and downloads.
_media_origins = [origin for origin in (
    f"https://{env_str('AWS_S3_CUSTOM_DOMAIN')}" if env_str("AWS_S3_CUSTOM_DOMAIN") else "",
    env_str("AWS_S3_ENDPOINT_URL"),
) if origin]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *_media_origins],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        # 'self' rather than 'none': Wagtail's preview frames our own pages (see X_FRAME_OPTIONS).
        "frame-ancestors": [SELF],
        "frame-src": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # One line per background task run would drown everything else; the development server
    # need not say that it watches files.
    "loggers": {"django_tasks": {"level": "WARNING"}, "django.utils.autoreload": {"level": "WARNING"}},
}

# Wagtail
WAGTAIL_SITE_NAME = "高新区企业创新积分管理平台"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# One time zone: the admin's account page then offers no list of 600 English zone names.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
WAGTAILADMIN_USER_LOGIN_FORM = "portal.core.admin_forms.AdminLoginForm"
# Labels of the admin's date filters: "提交时间 起" / "提交时间 止", not django-filter's English
# ("date is greater than or equal to").
FILTERS_VERBOSE_LOOKUPS = {"exact": "", "date": "", "gte": "起", "lte": "止"}

WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Chinese has no spaces between words, so full-text tokenisers find nothing inside a title;
# substring matching finds 创新 in 企业创新积分 on every database.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database.fallback"}}
# Public attachments are streamed by Wagtail's own view, which also works on S3.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Always a download, never rendered in our origin: an uploaded file cannot run as a page.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "csv", "zip", "rar", "ofd", "wps", "txt"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# Long work (calculation runs, publication notices, imports, large exports, SMS retries) is a
# job on this queue: rows in the database, taken by `manage.py db_worker` processes on any
# number of machines (row locks, SKIP LOCKED on PostgreSQL). See portal/core/jobs and README,
# Deploying. The unit tests alone run tasks in the enqueuing process (settings/test.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The backend jobs are enqueued on (the worker tests point it at a database backend of their own).
JOBS_TASK_BACKEND = env_str("JOBS_TASK_BACKEND", "default")
# A running job's worker writes a heartbeat every JOBS_HEARTBEAT_SECONDS; a job whose heartbeat
# is older than JOBS_STALE_SECONDS lost its worker (killed, machine gone) and is run again.
JOBS_HEARTBEAT_SECONDS = env_int("JOBS_HEARTBEAT_SECONDS", 10)
JOBS_STALE_SECONDS = env_int("JOBS_STALE_SECONDS", 60)
# On a machine where PostgreSQL runs beside the workers: the niceness of the database process
# serving a job (0: unchanged), so that a long run leaves the CPU to the site (README, Deploying).
# (SCHED_IDLE for it was measured worse: 2.3× the p95 under load against 1.8× at nice 10, the
# idle process holding what the site's queries wait for.)
JOBS_DATABASE_NICE = env_int("JOBS_DATABASE_NICE", 0)
# Percent of the wall time a job may work while others use the machine (portal.core.jobs.pacing):
# 100 where workers have machines of their own; lower where they share one with the web
# processes, so that a long run leaves the site its speed (README, Deploying; make bench
# measures the run under load at 10).
JOBS_DUTY_CYCLE = env_int("JOBS_DUTY_CYCLE", 100)
if not 1 <= JOBS_DUTY_CYCLE <= 100:
    raise ImproperlyConfigured(f"JOBS_DUTY_CYCLE is a percent from 1 to 100, got {JOBS_DUTY_CYCLE}")
# Spreadsheet exports of more rows than this are made by a worker and downloaded from the job.
JOBS_EXPORT_INLINE_ROWS = env_int("JOBS_EXPORT_INLINE_ROWS", 2000)

# Demo accounts and content are refused in production (see production.py).
DEMO_CONTENT_ALLOWED = env_bool("DEMO_CONTENT_ALLOWED", True)
