"""Releases: numbered snapshots of every dataset, their files stored in the database.

Once written, a release and its files are never changed or deleted. The models refuse
it (coe_kz.models.ImmutableModel); so does the database, with triggers, whatever writes
to it (a shell, raw SQL, a data migration). Publishers may cut releases.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TABLES = ("coe_kz_release", "coe_kz_releasefile")
REFUSAL = "Releases are immutable: a release and its files are never changed or deleted."
PUBLISHER_PERMISSIONS = ["view_release", "cut_release"]


def guards(vendor: str) -> list[str]:
    """The statements that make the database refuse changes to releases."""
    if vendor == "postgresql":
        function = (
            "CREATE FUNCTION coe_kz_refuse_release_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'restrict_violation'; END; $$"
        )
        return [function] + [
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION coe_kz_refuse_release_change()"
            for table in TABLES
        ]
    if vendor == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
            for table in TABLES
            for action in ("UPDATE", "DELETE")
        ]
    return []


def lifting_guards(vendor: str) -> list[str]:
    """The statements that take the guards away (for a test that empties the database)."""
    if vendor == "postgresql":
        triggers = [f"DROP TRIGGER {table}_immutable ON {table}" for table in TABLES]
        return triggers + ["DROP FUNCTION coe_kz_refuse_release_change()"]
    if vendor == "sqlite":
        return [f"DROP TRIGGER {table}_no_{action}" for table in TABLES for action in ("update", "delete")]
    return []


def add_guards(apps, schema_editor):
    for statement in guards(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def remove_guards(apps, schema_editor):
    for statement in lifting_guards(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def let_publishers_cut_releases(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the Publisher role needs them now.
    app_config = apps.get_app_config("coe_kz")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publisher = Group.objects.filter(name="Publisher").first()
    if publisher is not None:
        publisher.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="coe_kz", codename__in=PUBLISHER_PERMISSIONS
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('coe_kz', '0005_history_change'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Release',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(help_text="The year the release was cut: its version's first part.")),
                ('number', models.PositiveIntegerField(help_text="The release's number within its year, from 1.")),
                ('created', models.DateTimeField(help_text='When the release was cut.')),
                ('data_version', models.DateTimeField(blank=True, help_text='The data version it holds: when the curated data was last edited before the cut.', null=True)),
                ('notes', models.TextField(help_text="What this release holds or is for, in the publisher's words.")),
                ('created_by', models.ForeignKey(blank=True, help_text='The publisher who cut it; empty when cut from the command line.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='releases', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['year', 'number'],
                'permissions': [('cut_release', 'Can cut a release')],
                'default_permissions': ('view',),
            },
        ),
        migrations.CreateModel(
            name='ReleaseFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text="The file's path in the release: coe-kz.zip, datapackage.json, README.md, data/<dataset>.csv (the archive's members), changes.csv.", max_length=120)),
                ('content', models.BinaryField()),
                ('size', models.PositiveBigIntegerField(help_text='Bytes of content.')),
                ('sha256', models.CharField(help_text='SHA-256 of content, in hexadecimal.', max_length=64)),
                ('rows', models.PositiveIntegerField(blank=True, help_text='Rows of a CSV file, its header not counted; empty for other files.', null=True)),
                ('release', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='files', to='coe_kz.release')),
            ],
            options={
                'ordering': ['release', 'pk'],
                'default_permissions': (),
            },
        ),
        migrations.AddConstraint(
            model_name='release',
            constraint=models.UniqueConstraint(fields=('year', 'number'), name='release_version_unique', violation_error_message='A release of that version already exists.'),
        ),
        migrations.AddConstraint(
            model_name='release',
            constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1)), name='release_number_from_1', violation_error_message='Release numbers count from 1.'),
        ),
        migrations.AddConstraint(
            model_name='releasefile',
            constraint=models.UniqueConstraint(fields=('release', 'name'), name='releasefile_name_unique', violation_error_message='A release holds one file of each name.'),
        ),
        migrations.RunPython(add_guards, remove_guards),
        migrations.RunPython(let_publishers_cut_releases, migrations.RunPython.noop),
    ]
