# The kernel's tables get the kernel's names, and the content types (with their permissions,
# e.g. 审计员's audit_auditevent, and Wagtail's log entries) follow the models to `core`.

from django.db import migrations

MOVED = {"auditevent": "auditevent", "message": "message", "smsmessage": "smsmessage", "prooffile": "privatefile"}


def move_content_types(apps, schema_editor, forward=True):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for old, new in MOVED.items():
        source, target = (("enterprise_business", old), ("core", new)) if forward else (("core", new),
                                                                                      ("enterprise_business", old))
        content_type = ContentType.objects.filter(app_label=source[0], model=source[1]).first()
        if content_type is None:
            continue
        ContentType.objects.filter(app_label=target[0], model=target[1]).delete()
        content_type.app_label, content_type.model = target
        content_type.save()
        for permission in Permission.objects.filter(content_type=content_type, codename__endswith=f"_{source[1]}"):
            permission.codename = permission.codename.removesuffix(source[1]) + target[1]
            permission.save()


def move_back(apps, schema_editor):
    move_content_types(apps, schema_editor, forward=False)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('core', '0001_take_over_shared_models'),
        ('enterprise_business', '0008_shared_models_move_to_core'),
    ]

    operations = [
        migrations.AlterModelTable(name='auditevent', table=None),
        migrations.AlterModelTable(name='message', table=None),
        migrations.AlterModelTable(name='smsmessage', table=None),
        migrations.AlterModelTable(name='privatefile', table=None),
        migrations.RunPython(move_content_types, move_back),
    ]
