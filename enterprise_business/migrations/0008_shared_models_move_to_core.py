# The audit log, 消息, the SMS record and private files now belong to the kernel (`core`, see its
# 0001): the foreign keys to proof files point at core.PrivateFile, and this app forgets the
# four models. Nothing changes in the database: the tables are the same.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_take_over_shared_models'),
        ('enterprise_business', '0007_messages_and_proofs_belong_to_accounts'),
        ('scoring_engine', '0006_objection_attachment_is_a_core_file'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='pointsfiling',
            name='audit_report',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='Y年审计报告'),
        ),
        migrations.AlterField(
            model_name='pointsfiling',
            name='balance_sheet',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='资产负债表'),
        ),
        migrations.AlterField(
            model_name='pointsfiling',
            name='social_security_prev_proof',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='Y-1年12月社保人数证明文件'),
        ),
        migrations.AlterField(
            model_name='pointsfiling',
            name='social_security_proof',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='Y年12月社保人数证明文件'),
        ),
        migrations.AlterField(
            model_name='pointsfiling',
            name='staff_proof',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='企业人员证明文件'),
        ),
        migrations.AlterField(
            model_name='pointsfiling',
            name='tax_return',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='Y年所得税纳税申报表或审计报告'),
        ),
        migrations.AlterField(
            model_name='pointsfiling',
            name='tax_return_prev',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='Y-1年所得税纳税申报表或审计报告'),
        ),
        migrations.AlterField(
            model_name='dataquestion',
            name='attachment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='附件'),
        ),
        migrations.AlterField(
            model_name='qualificationrecord',
            name='proof',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='证明文件'),
        ),
        migrations.DeleteModel(name='AuditEvent'),
        migrations.DeleteModel(name='Message'),
        migrations.DeleteModel(name='SmsMessage'),
        migrations.DeleteModel(name='ProofFile'),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
