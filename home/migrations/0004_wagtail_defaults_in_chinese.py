"""Wagtail's first migrations name what they create in English: the groups Moderators and
Editors, the "Moderators approval" task and workflow, and the roots of the page tree and of
the collections (both "Root"). Staff see those names in the admin, so they get Chinese ones;
the groups keep their permissions and members."""

from django.db import migrations

NAMES = [
    ("auth", "Group", ("Moderators", "默认页面审核组")),
    ("auth", "Group", ("Editors", "默认页面编辑组")),
    ("wagtailcore", "Task", ("Moderators approval", "默认页面审核组审批")),
    ("wagtailcore", "Workflow", ("Moderators approval", "默认页面审核流程")),
    ("wagtailcore", "Collection", ("Root", "根目录")),
]
ROOT_PAGE_TITLES = ("Root", "根目录")


def rename(apps, old, new):
    for app_label, model_name, names in NAMES:
        apps.get_model(app_label, model_name).objects.filter(name=names[old]).update(name=names[new])
    apps.get_model("wagtailcore", "Page").objects.filter(depth=1, title=ROOT_PAGE_TITLES[old]).update(
        title=ROOT_PAGE_TITLES[new], draft_title=ROOT_PAGE_TITLES[new])


def to_chinese(apps, schema_editor):
    rename(apps, 0, 1)


def to_english(apps, schema_editor):
    rename(apps, 1, 0)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_standardpage_portalsettings_consent_page"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(to_chinese, to_english)]
