from django.db import migrations


def install(apps, schema_editor):
    from enterprise_business.qualifications.catalogue import install_default_catalogue

    install_default_catalogue(
        apps.get_model("enterprise_business", "Department"),
        apps.get_model("enterprise_business", "QualificationIndicator"),
        apps.get_model("enterprise_business", "IndicatorColumn"),
        apps.get_model("auth", "Group"),
    )


class Migration(migrations.Migration):
    dependencies = [("enterprise_business", "0003_qualifications"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
