"""The two editorial roles, with exactly these permissions.

Editor: add, change and view every curated record; cannot publish or delete.
Publisher: everything an editor can, and also publish, unpublish and delete.
The lists are frozen here, as a migration must be; tests/test_roles.py checks them.
"""

from django.db import migrations

CURATED = {
    "coe_kz": ["source"],
    "treaties": ["treaty", "treatystep", "treatystepcitation"],
    "bodies": ["body", "bodystanding", "bodystandingcitation"],
    "events": ["event", "person", "personname", "participation", "eventcitation", "personcitation"],
}
# Other names and participations follow the publication of their person or event.
NOT_PUBLISHABLE = {"personname", "participation"}


def role_permissions():
    editor, publisher = [], []
    for app_label, models in CURATED.items():
        for model in models:
            for action in ("add", "change", "view"):
                editor.append((app_label, f"{action}_{model}"))
            publisher.append((app_label, f"delete_{model}"))
            if model not in NOT_PUBLISHABLE:
                publisher.append((app_label, f"publish_{model}"))
    return {"Editor": editor, "Publisher": editor + publisher}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Publisher"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("coe_kz", "0002_publication"),
        ("treaties", "0002_publication"),
        ("bodies", "0002_publication"),
        ("events", "0002_publication"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
