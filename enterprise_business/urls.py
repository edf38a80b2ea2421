from django.urls import path

from .accounts import views as accounts
from .filings import views as enterprise
from .qualifications import views as qualifications

account_patterns = ([
    path("register/", accounts.register, name="register"),
    path("register/done/", accounts.register_done, name="register-done"),
    path("register/resubmit/", accounts.resubmit, name="resubmit"),
    path("login/", accounts.login_view, name="login"),
    path("logout/", accounts.logout_view, name="logout"),
    path("password-reset/", accounts.password_reset, name="password-reset"),
    path("password-reset/done/", accounts.password_reset_done, name="password-reset-done"),
    path("captcha/", accounts.captcha_new, name="captcha-new"),
    path("captcha/verify/", accounts.captcha_verify, name="captcha-verify"),
    path("captcha/<str:challenge_id>/<str:part>.png", accounts.captcha_image, name="captcha-image"),
    path("sms/", accounts.sms_send, name="sms-send"),
], "accounts")

enterprise_patterns = ([
    path("", enterprise.home, name="home"),
    path("basic-info/", enterprise.basic_info, name="basic-info"),
    path("filings/", enterprise.filings, name="filings"),
    path("filings/<int:batch_id>/", enterprise.points_filing, name="points-filing"),
    path("filings/<int:batch_id>/qualifications/", qualifications.qualifications_page, name="qualifications"),
    path("filings/<int:batch_id>/history/", enterprise.points_history, name="points-history"),
], "enterprise")
