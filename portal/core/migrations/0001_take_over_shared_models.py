# The kernel takes over four models the enterprise app created before the kernel existed: the
# audit log, 消息, the SMS record and private files (ProofFile, now PrivateFile). Their tables
# and rows stay where they are: this migration only tells Django's state that `core` owns them
# (under their old table names); 0002 renames the tables and moves their content types.

import django.db.models.deletion
import django.utils.timezone
import portal.core.crypto
import portal.core.files.models
import portal.core.files.storage
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('enterprise_business', '0007_messages_and_proofs_belong_to_accounts'),
    ]

    state_operations = [
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('kind', models.CharField(choices=[('login', '登录成功'), ('login_failed', '登录失败'), ('lockout', '账号锁定'), ('logout', '退出登录'), ('password_reset', '重置密码'), ('sms_sent', '发送短信验证码'), ('sms_checked', '校验短信验证码'), ('registration', '企业注册'), ('registration_review', '注册审核'), ('upload', '上传文件'), ('download', '下载文件'), ('filing', '填报审核流程'), ('reveal', '查看完整个人信息'), ('permission', '权限变更')], max_length=30, verbose_name='事件')),
                ('outcome', models.CharField(choices=[('success', '成功'), ('failure', '失败')], default='success', max_length=10, verbose_name='结果')),
                ('username', models.CharField(blank=True, max_length=150, verbose_name='账号')),
                ('ip_address', models.GenericIPAddressField(blank=True, null=True, verbose_name='IP地址')),
                ('target', models.CharField(blank=True, max_length=200, verbose_name='对象')),
                ('detail', models.CharField(blank=True, max_length=500, verbose_name='说明')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人')),
            ],
            options={
                'verbose_name': '审计日志',
                'verbose_name_plural': '审计日志',
                'ordering': ['-created_at', '-pk'],
                'permissions': [('audit_auditevent', '查阅和导出审计日志')],
                'indexes': [models.Index(fields=['kind', '-created_at'], name='enterprise__kind_07b267_idx'), models.Index(fields=['username', '-created_at'], name='enterprise__usernam_9253b2_idx')],
                'db_table': 'enterprise_business_auditevent',
            },
        ),
        migrations.CreateModel(
            name='Message',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=100, verbose_name='标题')),
                ('body', models.TextField(verbose_name='内容')),
                ('link', models.CharField(blank=True, max_length=200, verbose_name='链接')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅读时间')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages', to=settings.AUTH_USER_MODEL, verbose_name='接收人')),
            ],
            options={
                'verbose_name': '消息',
                'verbose_name_plural': '消息',
                'ordering': ['-created_at', '-pk'],
                'db_table': 'enterprise_business_message',
            },
        ),
        migrations.CreateModel(
            name='SmsMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('phone', portal.core.crypto.EncryptedCharField(verbose_name='手机号码')),
                ('phone_masked', models.CharField(max_length=20, verbose_name='手机号码')),
                ('text', models.TextField(verbose_name='内容')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='发送时间')),
                ('status', models.CharField(choices=[('queued', '待发送'), ('sent', '已发送'), ('failed', '发送失败'), ('expired', '已过期未发送')], default='queued', max_length=10, verbose_name='状态')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='发送次数')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='下次重试时间')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='送达网关时间')),
                ('expires_at', models.DateTimeField(blank=True, help_text='验证码短信过期后不再重试。', null=True, verbose_name='过期时间')),
                ('last_error', models.CharField(blank=True, max_length=200, verbose_name='最近一次错误')),
            ],
            options={
                'verbose_name': '短信记录',
                'verbose_name_plural': '短信记录',
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='sms_retry_queue')],
                'db_table': 'enterprise_business_smsmessage',
            },
        ),
        migrations.CreateModel(
            name='PrivateFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(storage=portal.core.files.storage.private_storage, upload_to=portal.core.files.models.private_upload_to, verbose_name='文件')),
                ('original_name', models.CharField(max_length=200, verbose_name='文件名')),
                ('size', models.PositiveIntegerField(verbose_name='大小')),
                ('content_type', models.CharField(max_length=50, verbose_name='类型')),
                ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='上传时间')),
                ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='private_files', to=settings.AUTH_USER_MODEL, verbose_name='所属账号')),
                ('uploaded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '证明文件',
                'verbose_name_plural': '证明文件',
                'db_table': 'enterprise_business_prooffile',
            },
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
