"""The Tencent Cloud SMS adapter, through the real SDK, against an HTTP endpoint on loopback that
records what the SDK sends and answers as Tencent Cloud's API does."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.core.notifications import sms
from portal.core.notifications.catalogue import TEMPLATES
from portal.core.notifications.models import SmsMessage

pytestmark = pytest.mark.django_db

PHONE = "13940118888"


class TencentCloudStandIn(BaseHTTPRequestHandler):
    """Records each request; answers with the SendStatus code the test sets."""

    requests = []
    status_code = "Ok"

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
        phone = json.loads(body)["PhoneNumberSet"][0]
        answer = {"Response": {"RequestId": "test-request", "SendStatusSet": [{
            "SerialNo": "2433:0", "PhoneNumber": phone, "Fee": 1, "SessionContext": "", "IsoCode": "CN",
            "Code": self.status_code, "Message": "send success" if self.status_code == "Ok" else "template refused",
        }]}}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(settings):
    TencentCloudStandIn.requests = []
    TencentCloudStandIn.status_code = "Ok"
    server = ThreadingHTTPServer(("127.0.0.1", 0), TencentCloudStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "portal.core.notifications.gateways.TencentCloudBackend"
    settings.TENCENTCLOUD_SECRET_ID = "AKIDtestsecretid"
    settings.TENCENTCLOUD_SECRET_KEY = "testsecretkey"
    settings.SMS_SDK_APP_ID = "1400123456"
    settings.SMS_SIGN_NAME = "大连高新区创新积分"
    settings.SMS_TEMPLATE_IDS = {name: str(2000000 + number) for number, name in enumerate(TEMPLATES)}
    settings.SMS_ENDPOINT = f"127.0.0.1:{server.server_address[1]}"
    settings.SMS_ENDPOINT_PROTOCOL = "http"
    yield TencentCloudStandIn
    server.shutdown()
    server.server_close()


def test_a_message_goes_out_as_the_registered_template_with_its_parameters(gateway, settings):
    assert sms.send_sms(PHONE, "registration_rejected", credit_code="91210231MA0W5P2D3N", reason="执照模糊") is True
    (request,) = gateway.requests
    assert request["headers"]["X-TC-Action"] == "SendSms" and request["headers"]["X-TC-Version"] == "2021-01-11"
    assert request["headers"]["Authorization"].startswith("TC3-HMAC-SHA256 Credential=AKIDtestsecretid/")
    assert request["body"] == {
        "PhoneNumberSet": ["+8613940118888"], "SmsSdkAppId": "1400123456", "SignName": "大连高新区创新积分",
        "TemplateId": settings.SMS_TEMPLATE_IDS["registration_rejected"],
        "TemplateParamSet": ["91210231MA0W5P2D3N", "执照模糊"],
    }
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.SENT and message.template == "registration_rejected"
    assert message.text == ("【高新区企业创新积分管理平台】您的企业账号（91210231MA0W5P2D3N）注册申请未通过审核，"
                            "原因：执照模糊。请登录平台修改后重新提交。")


def test_a_code_sent_through_the_gateway_leaves_no_code_in_the_record(gateway):
    sms.send_sms(PHONE, "verification_code", code="493817", secret="493817")
    assert gateway.requests[0]["body"]["TemplateParamSet"] == ["493817"]
    message = SmsMessage.objects.get()
    assert "493817" not in message.text and "493817" not in json.dumps(message.params)


def test_a_refusal_by_the_gateway_queues_the_message_for_retry(gateway):
    gateway.status_code = "FailedOperation.TemplateIncorrectOrUnapproved"
    assert sms.send_sms(PHONE, "results_final", batch="2025年度创新积分数据填报") is False
    message = SmsMessage.objects.get()
    assert message.status == SmsMessage.Status.QUEUED and "TemplateIncorrectOrUnapproved" in message.last_error
    gateway.status_code = "Ok"
    assert sms.retry_queued(now=message.next_attempt_at) == {"sent": 1}
    assert [r["body"]["TemplateParamSet"] for r in gateway.requests] == [["2025年度创新积分数据填报"]] * 2


def test_a_template_without_an_id_is_never_sent_and_says_why(gateway, settings):
    settings.SMS_TEMPLATE_IDS = {}
    assert sms.send_sms(PHONE, "results_final", batch="2025年度") is False
    assert gateway.requests == []
    assert "SMS_TEMPLATE_IDS" in SmsMessage.objects.get().last_error


def test_an_unreachable_gateway_queues_the_message(gateway, settings):
    settings.SMS_ENDPOINT = "127.0.0.1:9"  # discard port: nothing listens
    assert sms.send_sms(PHONE, "results_final", batch="2025年度") is False
    assert SmsMessage.objects.get().status == SmsMessage.Status.QUEUED
