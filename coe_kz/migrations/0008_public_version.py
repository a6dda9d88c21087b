"""The version of what the public sees (coe_kz.cache): on a database that holds data, its
first row dates from the latest edit in the history tables and the latest release, as the
exports' ETags and Last-Modified did until now; an empty database gets it with its first
public write."""

import datetime
import uuid

from django.db import migrations, models


def first_version(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    latest = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
            if "_historical" not in table or "history_date" not in columns:  # links' tables have none
                continue
            cursor.execute(f"SELECT MAX({quote('history_date')}) FROM {quote(table)}")
            latest.append(cursor.fetchone()[0])
    Release = apps.get_model("coe_kz", "Release")
    edited = max(filter(None, latest), default=None)
    if isinstance(edited, str):  # SQLite gives the stored text
        edited = models.DateTimeField().to_python(edited).replace(tzinfo=datetime.UTC)
    released = Release.objects.aggregate(latest=models.Max("created"))["latest"]
    changed = max(filter(None, [edited, released]), default=None)
    if changed is not None:
        PublicVersion = apps.get_model("coe_kz", "PublicVersion")
        PublicVersion.objects.create(pk=1, token=uuid.uuid4().hex, changed=changed, data_changed=edited)


class Migration(migrations.Migration):

    dependencies = [
        ('coe_kz', '0007_archived_texts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='release',
            name='data_version',
            field=models.DateTimeField(blank=True, help_text='The data version it holds: when the published data last changed before the cut.', null=True),
        ),
        migrations.CreateModel(
            name='PublicVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(help_text='Random, new with every public change: a version never comes back.', max_length=32)),
                ('changed', models.DateTimeField(help_text='When what the public sees last changed: published data, or a release cut.')),
                ('data_changed', models.DateTimeField(blank=True, help_text='When the published data last changed (releases aside).', null=True)),
            ],
            options={
                'default_permissions': (),
                'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='publicversion_one_row', violation_error_message='One row only.')],
            },
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
