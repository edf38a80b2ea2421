"""Writing the audit log (审计日志, SECURITY.md "Audit"): one call, `record`, used by the
services, plus the signal receivers for what Django, django-axes and permission changes do
on their own. The request in hand — who and from which address — comes from a context
variable that `AuditContextMiddleware` sets, so services need not pass it along.

Nothing secret is ever written: no password, no SMS code, no full ID or phone number (the
callers pass masked values), and the logger line repeats only the event and the account.
"""

import contextvars
import logging

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed

from .models import AuditEvent

logger = logging.getLogger("portal.audit")
Kind = AuditEvent.Kind
Outcome = AuditEvent.Outcome

_current_request = contextvars.ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


def _client_ip(request):
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(kind, *, outcome=Outcome.SUCCESS, actor=None, username="", target="", detail="", request=None):
    request = request or _current_request.get()
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    username = username or (actor.username if actor is not None else "")
    AuditEvent.objects.create(kind=kind, outcome=outcome, actor=actor, username=username[:150],
                              ip_address=_client_ip(request), target=str(target)[:200], detail=str(detail)[:500])
    logger.info("audit kind=%s outcome=%s account=%s", kind, outcome, username)


def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, actor=user, request=request)


def _login_failed(sender, credentials, request=None, **kwargs):
    record(Kind.LOGIN_FAILED, outcome=Outcome.FAILURE, username=str(credentials.get("username", "")),
           request=request)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, actor=user, request=request)


def _locked_out(sender, request, username, ip_address, **kwargs):
    record(Kind.LOCKOUT, outcome=Outcome.FAILURE, username=str(username or ""), request=request,
           detail="连续登录失败，账号已被暂时锁定")


def _groups_changed(sender, instance, action, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = "加入" if action == "post_add" else "移出"
    if model is Group:
        names = "、".join(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        record(Kind.PERMISSION, target=f"用户 {instance}", detail=f"{verb}用户组：{names}")
    else:
        record(Kind.PERMISSION, target=f"用户组 {instance}", detail=f"{verb}权限 {len(pk_set)} 项")


def connect():
    from axes.signals import user_locked_out
    from django.contrib.auth import get_user_model

    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-lockout")
    m2m_changed.connect(_groups_changed, sender=get_user_model().groups.through, dispatch_uid="audit-user-groups")
    m2m_changed.connect(_groups_changed, sender=Group.permissions.through, dispatch_uid="audit-group-perms")
