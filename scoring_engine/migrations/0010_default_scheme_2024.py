"""The shipped default scheme follows the 2024 national guideline's structure: 18 core
indicators marked as core, the zone's own as 地方指标, stand-ins named (default_scheme.py).

An untouched previous default is updated in place and renamed; one used by a published run
(frozen) or edited by scoring admins is left as it is, and the new default is a copy of it
with the new indicators. Not reversible: the previous default's data is not kept in code."""

from django.db import migrations


def update(apps, schema_editor):
    from scoring_engine.default_scheme import update_shipped_default

    update_shipped_default(
        apps.get_model("scoring_engine", "Scheme"),
        apps.get_model("scoring_engine", "SchemeIndicator"),
        apps.get_model("scoring_engine", "CalculationRun"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("scoring_engine", "0009_indicator_kind"),
    ]

    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
