# Private files now belong to the kernel (`core`): the objection's attachment points at
# core.PrivateFile, the same table as before. State only.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_take_over_shared_models'),
        ('scoring_engine', '0005_results_bulk_keys'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='scoreobjection',
            name='attachment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.privatefile', verbose_name='附件'),
        ),
    ]

    operations = [migrations.SeparateDatabaseAndState(state_operations=state_operations)]
