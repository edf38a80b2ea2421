"""The one catalogue of SMS and 消息 (portal.core.notifications.catalogue)."""

import pytest
from django.core.management import call_command

from portal.core.notifications.catalogue import TEMPLATES, template


def test_parameters_are_numbered_in_order_of_first_appearance_for_the_provider():
    returned = template("filing_returned")
    assert returned.params == ("filing", "reason")
    assert returned.provider_text() == "{1}审核结果：已退回修改，原因：{2}。请修改后重新提交。"


def test_a_missing_or_unexpected_parameter_is_refused():
    with pytest.raises(ValueError, match="reason"):
        template("filing_returned").render({"filing": "企业基本信息"})
    with pytest.raises(ValueError):
        template("filing_approved").render({"filing": "企业基本信息", "extra": "x"})


def test_the_command_lists_every_template_ready_to_register(capsys, settings):
    settings.SMS_TEMPLATE_IDS = {"verification_code": "1234567"}
    call_command("sms_templates")
    out = capsys.readouterr().out
    assert all(name in out for name in TEMPLATES)
    assert "verification_code（模板ID：1234567；参数：{1}=code）" in out and "您的验证码为{1}" in out
