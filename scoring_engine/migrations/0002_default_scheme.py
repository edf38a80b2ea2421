from django.db import migrations


def install(apps, schema_editor):
    from scoring_engine.default_scheme import install_default_scheme

    install_default_scheme(apps.get_model("scoring_engine", "Scheme"), apps.get_model("scoring_engine", "SchemeIndicator"))


class Migration(migrations.Migration):
    dependencies = [
        ("scoring_engine", "0001_initial"),
        ("enterprise_business", "0004_default_catalogue"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
