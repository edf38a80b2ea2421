# 数据异议 is one kind of the kernel's ask-and-answer (portal.core.inquiries), which keeps a
# status: the questions already answered are 已答复.

from django.db import migrations, models


def answered_ones(apps, schema_editor):
    apps.get_model("enterprise_business", "DataQuestion").objects.filter(answered_at__isnull=False).update(
        status="answered")


class Migration(migrations.Migration):

    dependencies = [
        ('enterprise_business', '0008_shared_models_move_to_core'),
        # After the kernel's tables have their names: SQLite rebuilds this table here.
        ('core', '0002_shared_tables_renamed'),
    ]

    operations = [
        migrations.AddField(
            model_name='dataquestion',
            name='status',
            field=models.CharField(choices=[('pending', '待处理'), ('answered', '已答复')], default='pending',
                                   max_length=10, verbose_name='处理状态'),
        ),
        migrations.RunPython(answered_ones, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='dataquestion',
            options={'ordering': ['-asked_at', '-pk'], 'verbose_name': '数据异议', 'verbose_name_plural': '数据异议'},
        ),
    ]
