# 积分异议 is one kind of the kernel's ask-and-answer (portal.core.inquiries): its fields take
# the shared names. Columns are renamed; rows are untouched.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scoring_engine', '0006_objection_attachment_is_a_core_file'),
        # After the kernel's tables have their names: SQLite rebuilds this table here.
        ('core', '0002_shared_tables_renamed'),
    ]

    operations = [
        migrations.RemoveIndex(model_name='scoreobjection', name='scoring_objection_status'),
        migrations.RenameField(model_name='scoreobjection', old_name='reason', new_name='text'),
        migrations.RenameField(model_name='scoreobjection', old_name='created_by', new_name='asked_by'),
        migrations.RenameField(model_name='scoreobjection', old_name='created_at', new_name='asked_at'),
        migrations.AlterModelOptions(
            name='scoreobjection',
            options={'ordering': ['-asked_at', '-pk'], 'verbose_name': '积分异议', 'verbose_name_plural': '积分异议'},
        ),
        migrations.AddIndex(
            model_name='scoreobjection',
            index=models.Index(fields=['status', 'asked_at'], name='scoring_objection_status'),
        ),
        migrations.AlterField(
            model_name='scoreobjection',
            name='status',
            field=models.CharField(choices=[('pending', '待处理'), ('answered', '已答复')], default='pending',
                                   max_length=10, verbose_name='处理状态'),
        ),
        migrations.AlterField(model_name='scoreobjection', name='text', field=models.TextField(verbose_name='异议内容')),
    ]
