"""Other names and participations get a publication state of their own.

Before, they were public as soon as their person or event was, so an editor's new
spelling or participant on a published record went public at once. Those already there
keep what the public saw: published where their person (and, for a participation,
its event) is published, in their history too.
"""

from django.db import migrations, models

PUBLISHED = "published"


def publish_what_was_public(apps, schema_editor):
    rules = {"PersonName": ("person",), "Participation": ("event", "person")}
    for name, parents in rules.items():
        model = apps.get_model("events", name)
        history = apps.get_model("events", f"Historical{name}")
        shown = model.objects.filter(**{f"{parent}__publication": PUBLISHED for parent in parents})
        keys = list(shown.values_list("pk", flat=True))
        model.objects.filter(pk__in=keys).update(publication=PUBLISHED)
        history.objects.filter(id__in=keys).update(publication=PUBLISHED)


def let_publishers_publish_them(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the Publisher role needs them now.
    app_config = apps.get_app_config("events")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publisher = Group.objects.filter(name="Publisher").first()
    if publisher is not None:
        publisher.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="events", codename__in=["publish_personname", "publish_participation"]
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0005_citation_paragraph_from_1'),
        ('coe_kz', '0003_roles'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='participation',
            options={'ordering': ['event', 'pk'], 'permissions': [('publish_participation', 'Can publish and unpublish participations')]},
        ),
        migrations.AlterModelOptions(
            name='personname',
            options={'ordering': ['name'], 'permissions': [('publish_personname', 'Can publish and unpublish other names')]},
        ),
        migrations.AddField(
            model_name='historicalparticipation',
            name='publication',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='draft: visible to editors only; published: on the public site, in feeds and in exports.', max_length=10),
        ),
        migrations.AddField(
            model_name='historicalpersonname',
            name='publication',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='draft: visible to editors only; published: on the public site, in feeds and in exports.', max_length=10),
        ),
        migrations.AddField(
            model_name='participation',
            name='publication',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='draft: visible to editors only; published: on the public site, in feeds and in exports.', max_length=10),
        ),
        migrations.AddField(
            model_name='personname',
            name='publication',
            field=models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='draft: visible to editors only; published: on the public site, in feeds and in exports.', max_length=10),
        ),
        migrations.AddConstraint(
            model_name='participation',
            constraint=models.CheckConstraint(condition=models.Q(('publication__in', ['draft', 'published'])), name='participation_publication_valid', violation_error_message='Publication must be draft or published.'),
        ),
        migrations.AddConstraint(
            model_name='personname',
            constraint=models.CheckConstraint(condition=models.Q(('publication__in', ['draft', 'published'])), name='personname_publication_valid', violation_error_message='Publication must be draft or published.'),
        ),
        migrations.RunPython(publish_what_was_public, migrations.RunPython.noop),
        migrations.RunPython(let_publishers_publish_them, migrations.RunPython.noop),
    ]
