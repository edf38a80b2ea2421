"""A database filled by the release before the kernel existed migrates with every row kept: the
audit log, 消息, SMS records and proof files move to `core` (their owners become the enterprises'
accounts), 数据异议 and 积分异议 become kinds of the shared ask-and-answer, and the auditors keep
their right to read the log."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from portal.core.crypto import lookup_hash

PREVIOUS_RELEASE = [
    ("enterprise_business", "0006_sms_delivery_queue"),
    ("scoring_engine", "0005_results_bulk_keys"),
    ("finance_products", "0003_zone_totals_permission"),
    ("core", None),
]


def _fill(apps):
    """What the previous release's users had written, through its own models."""
    User = apps.get_model("enterprise_business", "User")
    Enterprise = apps.get_model("enterprise_business", "Enterprise")
    user = User.objects.create(username="91210231MA0QX7LK1Q")
    staff = User.objects.create(username="jifen", is_staff=True)
    enterprise = Enterprise.objects.create(
        user=user, credit_code=user.username, name="大连润禾环保科技有限公司", contact_name="王敏",
        contact_id_number="11010519491231002X", email="a@example.cn", phone="13940117777",
        phone_hash=lookup_hash("13940117777"), licence="licences/x.png", status="approved",
        consented_at="2025-01-02T03:04:05Z",
    )
    apps.get_model("enterprise_business", "Message").objects.create(
        enterprise=enterprise, title="企业基本信息审核结果", body="审核通过。")
    apps.get_model("enterprise_business", "SmsMessage").objects.create(
        phone="13940117777", phone_masked="139****7777", text="【高新区企业创新积分管理平台】审核通过。", status="sent")
    apps.get_model("enterprise_business", "AuditEvent").objects.create(kind="login", username=user.username)
    proof = apps.get_model("enterprise_business", "ProofFile").objects.create(
        enterprise=enterprise, file="proofs/a.pdf", original_name="资产负债表.pdf", size=10,
        content_type="application/pdf", uploaded_by=user)
    batch = apps.get_model("enterprise_business", "Batch").objects.create(
        name="2025年度创新积分数据填报", data_year=2025, opens_on=date(2026, 3, 1), closes_on=date(2026, 4, 30))
    apps.get_model("enterprise_business", "PointsFiling").objects.create(
        enterprise=enterprise, batch=batch, balance_sheet=proof)
    # A transactional test that ran before may have flushed the seeded indicators: make our own.
    department, _ = apps.get_model("enterprise_business", "Department").objects.get_or_create(
        name="科技局", defaults={"group": apps.get_model("auth", "Group").objects.create(name="数据负责部门·科技局")})
    indicator, _ = apps.get_model("enterprise_business", "QualificationIndicator").objects.get_or_create(
        code="tech_contract", defaults={"name": "技术合同登记", "department": department,
                                        "contact_person": "李明", "contact_phone": "0411-1234567"})
    Question = apps.get_model("enterprise_business", "DataQuestion")
    Question.objects.create(enterprise=enterprise, batch=batch, indicator=indicator, text="少了一份合同",
                            attachment=proof, asked_by=user, answer="已补录", answered_by=staff,
                            answered_at="2026-04-02T03:04:05Z")
    Question.objects.create(enterprise=enterprise, batch=batch, indicator=indicator, text="还有一份", asked_by=user)
    scheme = apps.get_model("scoring_engine", "Scheme").objects.create(name="方案")
    run = apps.get_model("scoring_engine", "CalculationRun").objects.create(batch=batch, scheme=scheme,
                                                                           status="publicity")
    result = apps.get_model("scoring_engine", "EnterpriseResult").objects.create(
        run=run, enterprise=enterprise, credit_code=enterprise.credit_code, name=enterprise.name, stage="growth",
        total=Decimal("61.50"), rank=1, percentile=Decimal("100"), stage_rank=1, stage_percentile=Decimal("100"))
    apps.get_model("scoring_engine", "ScoreObjection").objects.create(
        result=result, enterprise=enterprise, reason="专利数少算了2件。", attachment=proof, created_by=user)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    audit_type, _ = ContentType.objects.get_or_create(app_label="enterprise_business", model="auditevent")
    permission, _ = Permission.objects.get_or_create(content_type=audit_type, codename="audit_auditevent",
                                                     defaults={"name": "查阅和导出审计日志"})
    Group.objects.get_or_create(name="审计员")[0].permissions.add(permission)
    return {"user": user.pk, "staff": staff.pk, "proof": proof.pk, "permission": permission.pk}


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_release_keeps_every_row():
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(PREVIOUS_RELEASE)
        executor.loader.build_graph()
        ids = _fill(executor.loader.project_state([node for node in PREVIOUS_RELEASE if node[1]]).apps)
    finally:
        # Forward again whatever happened: the rest of the suite needs today's schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from django.contrib.auth.models import Group

    from enterprise_business.models import DataQuestion, PointsFiling
    from portal.core.models import AuditEvent, Message, PrivateFile, SmsMessage
    from scoring_engine.objection_models import ScoreObjection

    message = Message.objects.get()
    assert (message.recipient_id, message.title, message.body) == (ids["user"], "企业基本信息审核结果", "审核通过。")
    assert SmsMessage.objects.get().phone == "13940117777"
    assert AuditEvent.objects.get(kind="login").username == "91210231MA0QX7LK1Q"
    proof = PrivateFile.objects.get()
    assert (proof.pk, proof.owner_id, proof.original_name) == (ids["proof"], ids["user"], "资产负债表.pdf")
    assert PointsFiling.objects.get().balance_sheet == proof
    assert sorted(DataQuestion.objects.values_list("text", "status", "attachment_id")) == [
        ("少了一份合同", "answered", ids["proof"]), ("还有一份", "pending", None)]
    objection = ScoreObjection.objects.get()
    assert (objection.text, objection.asked_by_id, objection.status) == ("专利数少算了2件。", ids["user"], "pending")
    auditors = Group.objects.get(name="审计员")
    assert auditors.permissions.filter(pk=ids["permission"], content_type__app_label="core",
                                       codename="audit_auditevent").exists()
