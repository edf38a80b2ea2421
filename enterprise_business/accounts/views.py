"""注册、登录、退出、重置密码, and the slider check and SMS codes they use."""

import json
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.core.files.storage import storages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from wagtail.models import Site

from home.models import PortalSettings
from portal.core import audit
from portal.core.identifiers import normalize_mobile
from portal.core.notifications.sms import DELAYED_NOTICE

from . import captcha
from . import services as registration
from .forms import LoginForm, PasswordResetForm, RegistrationForm, ResubmitForm
from .models import Enterprise
from .selectors import canonical_username, find_enterprise_user
from .sms_codes import SmsCodeError, issue_code

RESUBMIT_SESSION_KEY = "resubmit_enterprise"
RESUBMIT_SECONDS = 1800


def axes_username(request, credentials):
    """django-axes counts failures per canonical account (full-width or lower-case codes alike)."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return canonical_username(raw)


def client_ip(request):
    return request.META.get("REMOTE_ADDR")


# Flood control ---------------------------------------------------------------------------
# More POSTs than this from one address in a minute are answered 429 before any slider,
# password or SMS check runs: a flood costs no Pillow puzzle, no password hash, no SMS.
# Generous for the people of one office behind one address; settings.FLOOD_LIMITS overrides.
FLOOD_LIMITS = {"login": 30, "sms": 10, "captcha": 60}
FLOOD_WINDOW = 60
FLOOD_MESSAGE = "操作过于频繁，请稍后再试。"


def _flood_wait(scope, request) -> int:
    """Seconds until this address may try `scope` again, or 0 while it is within its limit."""
    limit = getattr(settings, "FLOOD_LIMITS", FLOOD_LIMITS).get(scope)
    address = client_ip(request)
    if not limit or not address:
        return 0
    now = int(time.time())
    key = f"flood:{scope}:{address}:{now // FLOOD_WINDOW}"
    cache.add(key, 0, FLOOD_WINDOW * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # gone between add and incr
        count = 1
        cache.set(key, count, FLOOD_WINDOW * 2)
    return FLOOD_WINDOW - now % FLOOD_WINDOW if count > limit else 0


def flood_guard(scope, refuse):
    """POSTs to the view beyond the address's limit get `refuse(request)`, status 429."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = _flood_wait(scope, request) if request.method == "POST" else 0
            if not wait:
                return view(request, *args, **kwargs)
            response = refuse(request)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response

        return wrapped

    return decorator


def _json_flood_refusal(request):
    return JsonResponse({"message": FLOOD_MESSAGE, "wait": FLOOD_WINDOW})


def _login_flood_refusal(request):
    form = LoginForm(request.POST)
    form.is_valid()
    form.add_error(None, FLOOD_MESSAGE)
    return render(request, "enterprise_business/accounts/login.html", {"form": form, "next": _safe_next(request, "")})


def _consent_url(request):
    site = Site.find_for_request(request)
    page = PortalSettings.for_site(site).consent_page if site else None
    return page.url if page else ""


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# The slider check -----------------------------------------------------------------------

@require_POST
@flood_guard("captcha", _json_flood_refusal)
def captcha_new(request):
    purpose = request.POST.get("purpose", "")
    if purpose not in captcha.PURPOSES:
        return JsonResponse({"message": "无效的请求。"}, status=400)
    challenge = captcha.new_challenge(purpose)
    return JsonResponse({
        "id": challenge.id,
        "background": reverse("accounts:captcha-image", args=[challenge.id, "background"]),
        "piece": reverse("accounts:captcha-image", args=[challenge.id, "piece"]),
        "pieceTop": challenge.piece_top,
        "width": captcha.WIDTH,
        "height": captcha.HEIGHT,
        "pieceWidth": captcha.PIECE + captcha.KNOB,
    })


@never_cache
@require_GET
def captcha_image(request, challenge_id, part):
    data = captcha.image(challenge_id, part)
    if data is None:
        raise Http404
    return HttpResponse(data, content_type="image/png")


@require_POST
def captcha_verify(request):
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        payload = {}
    token = captcha.verify(
        request.session, payload.get("id", ""), payload.get("left"), payload.get("trail") or [],
        payload.get("purpose", ""),
    )
    if token is None:
        return JsonResponse({"ok": False, "message": "验证未通过，请重新拖动滑块。"}, status=400)
    return JsonResponse({"ok": True, "token": token, "message": "验证通过"})


# SMS codes ------------------------------------------------------------------------------

@require_POST
@flood_guard("sms", _json_flood_refusal)
def sms_send(request):
    purpose = request.POST.get("purpose")
    if purpose not in ("register", "reset"):
        return JsonResponse({"message": "无效的请求。"}, status=400)
    if not captcha.consume_pass(request.session, "sms", request.POST.get("captcha_token")):
        return JsonResponse({"message": "请先拖动滑块完成验证，再获取验证码。", "needCaptcha": True}, status=400)
    try:
        phone = normalize_mobile(request.POST.get("phone", ""))
    except Exception:
        return JsonResponse({"message": "请输入正确的11位手机号码。", "field": "phone"}, status=400)
    deliver = True
    message = "验证码已发送，请注意查收。"
    if purpose == "reset":
        deliver = find_enterprise_user(request.POST.get("username", ""), phone) is not None
        message = "如果账号与手机号码匹配，验证码已发送到该手机，请注意查收。"
    try:
        sent = issue_code(phone, purpose, client_ip(request), deliver=deliver)
    except SmsCodeError as error:
        return JsonResponse({"message": error.message, "wait": error.wait_seconds}, status=429)
    if sent.delayed:  # the gateway is down: the code is queued and retried (portal.core.notifications.sms)
        message = DELAYED_NOTICE
        if purpose == "reset":
            message = f"如果账号与手机号码匹配，验证码将发送到该手机。{DELAYED_NOTICE}"
    return JsonResponse({"ok": True, "message": message, "wait": sent.wait_seconds, "delayed": sent.delayed})


# Registration ---------------------------------------------------------------------------

@never_cache
@sensitive_post_parameters("password1", "password2", "contact_id_number", "sms_code")
@require_http_methods(["GET", "POST"])
def register(request):
    storage = storages["private"]
    form = RegistrationForm(
        request.POST or None, request.FILES or None, consent_url=_consent_url(request), private_storage=storage
    )
    if request.method == "POST" and form.is_valid():
        enterprise = registration.register(form.cleaned_data, storage)
        request.session["registered_code"] = enterprise.credit_code
        return redirect("accounts:register-done")
    return render(request, "enterprise_business/accounts/register.html", {"form": form})


@never_cache
def register_done(request):
    code = request.session.get("registered_code")
    if not code:
        return redirect("accounts:register")
    return render(request, "enterprise_business/accounts/register_done.html", {"credit_code": code})


@never_cache
@sensitive_post_parameters("contact_id_number", "sms_code")
@require_http_methods(["GET", "POST"])
def resubmit(request):
    marker = request.session.get(RESUBMIT_SESSION_KEY) or {}
    if marker.get("expires", 0) < time.time():
        messages.info(request, "请先使用账号和密码登录，再修改注册信息。")
        return redirect("accounts:login")
    enterprise = get_object_or_404(Enterprise, pk=marker.get("pk"), status=Enterprise.Status.REJECTED)
    storage = storages["private"]
    initial = {field: getattr(enterprise, field) for field in ("contact_name", "email")}
    form = ResubmitForm(
        request.POST or None, request.FILES or None, enterprise=enterprise, initial=initial,
        consent_url=_consent_url(request), private_storage=storage,
    )
    if request.method == "POST" and form.is_valid():
        registration.resubmit(enterprise, form.cleaned_data, storage)
        del request.session[RESUBMIT_SESSION_KEY]
        request.session["registered_code"] = enterprise.credit_code
        return redirect("accounts:register-done")
    return render(request, "enterprise_business/accounts/resubmit.html", {"form": form, "enterprise": enterprise})


# Login and logout -----------------------------------------------------------------------

@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@flood_guard("login", _login_flood_refusal)
def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not captcha.consume_pass(request.session, "login", form.cleaned_data["captcha_token"]):
            form.add_error(None, "请先拖动滑块完成验证。")
        else:
            user = authenticate(
                request, username=canonical_username(form.cleaned_data["username"]),
                password=form.cleaned_data["password"],
            )
            if user is None:
                form.add_error(None, "账号或密码错误，请重新输入。")
            else:
                enterprise = getattr(user, "enterprise", None)
                if enterprise is not None and enterprise.status != Enterprise.Status.APPROVED:
                    return _registration_status(request, enterprise)
                login(request, user)
                # The manual: a successful login goes to the 平台首页, where the enterprise opens 企业业务
                # (the 首页 shows its progress); or back to the protected page it came from.
                default = reverse("admin:wagtailadmin_home") if user.is_staff and enterprise is None else "/"
                return redirect(_safe_next(request, default))
    return render(request, "enterprise_business/accounts/login.html", {"form": form, "next": _safe_next(request, "")})


def _registration_status(request, enterprise):
    """The owner (right password) of a registration not yet approved learns its state instead of a session."""
    if enterprise.status == Enterprise.Status.REJECTED:
        request.session[RESUBMIT_SESSION_KEY] = {"pk": enterprise.pk, "expires": time.time() + RESUBMIT_SECONDS}
    return render(request, "enterprise_business/accounts/registration_status.html", {"enterprise": enterprise})


@never_cache
@require_http_methods(["GET", "POST"])
def logout_view(request):
    if request.method == "POST":
        logout(request)
        messages.success(request, "您已安全退出。")
        return redirect("/")
    return render(request, "enterprise_business/accounts/logout.html")


# Password reset -------------------------------------------------------------------------

@never_cache
@sensitive_post_parameters("password1", "password2", "sms_code")
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        user.set_password(form.cleaned_data["password1"])
        user.save(update_fields=["password"])
        audit.record(audit.Kind.PASSWORD_RESET, actor=user, detail="通过短信验证码重置密码")
        # Every session of the account ends: the stored session hash no longer matches.
        return redirect("accounts:password-reset-done")
    return render(request, "enterprise_business/accounts/password_reset.html", {"form": form})


@never_cache
def password_reset_done(request):
    return render(request, "enterprise_business/accounts/password_reset_done.html")
