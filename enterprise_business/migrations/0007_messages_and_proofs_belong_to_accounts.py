# Messages and proof files belong to the enterprise's account (its user) rather than to the
# enterprise row, so that the platform kernel can hold them without knowing about enterprises
# (one account per enterprise: the same owner). The next migrations hand the models to `core`.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def owners_from_enterprises(apps, schema_editor):
    for name, field in (("Message", "recipient"), ("ProofFile", "owner")):
        model = apps.get_model("enterprise_business", name)
        for row in model.objects.select_related("enterprise").only("pk", "enterprise__user_id").iterator():
            model.objects.filter(pk=row.pk).update(**{f"{field}_id": row.enterprise.user_id})


def enterprises_from_owners(apps, schema_editor):
    Enterprise = apps.get_model("enterprise_business", "Enterprise")
    enterprise_of = dict(Enterprise.objects.values_list("user_id", "pk"))
    for name, field in (("Message", "recipient"), ("ProofFile", "owner")):
        model = apps.get_model("enterprise_business", name)
        for pk, user_id in model.objects.values_list("pk", f"{field}_id").iterator():
            model.objects.filter(pk=pk).update(enterprise_id=enterprise_of[user_id])


class Migration(migrations.Migration):

    dependencies = [
        ('enterprise_business', '0006_sms_delivery_queue'),
    ]

    operations = [
        migrations.AddField(
            model_name='message',
            name='recipient',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='messages',
                                    to=settings.AUTH_USER_MODEL, verbose_name='接收人'),
        ),
        migrations.AddField(
            model_name='prooffile',
            name='owner',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='private_files', to=settings.AUTH_USER_MODEL, verbose_name='所属账号'),
        ),
        migrations.AlterField(
            model_name='message',
            name='enterprise',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                    to='enterprise_business.enterprise'),
        ),
        migrations.AlterField(
            model_name='prooffile',
            name='enterprise',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                    to='enterprise_business.enterprise'),
        ),
        migrations.RunPython(owners_from_enterprises, enterprises_from_owners),
        migrations.RemoveField(model_name='message', name='enterprise'),
        migrations.RemoveField(model_name='prooffile', name='enterprise'),
        migrations.AlterField(
            model_name='message',
            name='recipient',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='messages',
                                    to=settings.AUTH_USER_MODEL, verbose_name='接收人'),
        ),
        migrations.AlterField(
            model_name='prooffile',
            name='owner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='private_files',
                                    to=settings.AUTH_USER_MODEL, verbose_name='所属账号'),
        ),
    ]
