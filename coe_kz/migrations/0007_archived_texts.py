"""Sources keep their archived texts (with a SHA-256, when retrieved, whether the public
may read all of it), and editors may set aside passages that state no fact. The roles
get the new model's permissions as 0003_roles gives every curated model's."""

import coe_kz.dates
import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def let_the_roles_set_passages_aside(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; the roles need them now.
    app_config = apps.get_app_config("coe_kz")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editing = [f"{action}_setaside" for action in ("add", "change", "view")]
    wanted = {"Editor": editing, "Publisher": [*editing, "delete_setaside", "publish_setaside"]}
    for name, codenames in wanted.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="coe_kz", codename__in=codenames)
            )


class Migration(migrations.Migration):

    dependencies = [
        ('coe_kz', '0006_releases'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalSetAside',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('history_change', models.UUIDField(blank=True, db_index=True, editable=False, help_text='The change this version was written in; shared by every row one action wrote.', null=True)),
                ('publication', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='draft: visible to editors only; published: on the public site, in feeds and in exports.', max_length=10)),
                ('passage', models.TextField(help_text="One or more whole sentences, verbatim from the source's archived text.")),
                ('paragraph', models.PositiveSmallIntegerField(blank=True, help_text='Paragraph of the source the passage starts in: found in the archived text, not typed.', null=True, validators=[django.core.validators.MinValueValidator(1, 'Paragraphs are counted from 1 (the headline).')])),
                ('reason', models.TextField(help_text="Why it records no fact, for example “about another country” or “the speaker's opinion, not a fact about Kazakhstan's standing”.")),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical passage set aside',
                'verbose_name_plural': 'historical passages set aside',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='SetAside',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('publication', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], db_index=True, default='draft', help_text='draft: visible to editors only; published: on the public site, in feeds and in exports.', max_length=10)),
                ('passage', models.TextField(help_text="One or more whole sentences, verbatim from the source's archived text.")),
                ('paragraph', models.PositiveSmallIntegerField(blank=True, help_text='Paragraph of the source the passage starts in: found in the archived text, not typed.', null=True, validators=[django.core.validators.MinValueValidator(1, 'Paragraphs are counted from 1 (the headline).')])),
                ('reason', models.TextField(help_text="Why it records no fact, for example “about another country” or “the speaker's opinion, not a fact about Kazakhstan's standing”.")),
            ],
            options={
                'verbose_name': 'passage set aside',
                'verbose_name_plural': 'passages set aside',
                'ordering': ['source', 'paragraph', 'pk'],
                'permissions': [('publish_setaside', 'Can publish and unpublish passages set aside')],
            },
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='full_text_public',
            field=models.BooleanField(default=False, help_text='Whether the public may read the whole archived text (a licence question: an official publication may be shown; otherwise only the paragraphs quoted from are).', verbose_name='full text may be shown'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='retrieved',
            field=coe_kz.dates.EDTFField(blank=True, help_text='When the archived text was retrieved, as EDTF; a range when the exact day was not recorded.'),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='retrieved_earliest',
            field=models.DateField(blank=True, db_index=True, editable=False, help_text='Earliest day the retrieval date can mean; empty when open. Computed on save.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='retrieved_latest',
            field=models.DateField(blank=True, db_index=True, editable=False, help_text='Latest day the retrieval date can mean; empty when open. Computed on save.', null=True),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='text',
            field=models.TextField(blank=True, help_text="The text as published, archived: paragraphs separated by blank lines, the headline (or the page's header line) first. Every quote from the source must stand in it. Empty for a register, whose facts cite its pages."),
        ),
        migrations.AddField(
            model_name='historicalsource',
            name='text_sha256',
            field=models.CharField(blank=True, editable=False, help_text="SHA-256 of the archived text's UTF-8 bytes, taken when it was archived: a text changed since no longer matches it.", max_length=64, verbose_name='SHA-256 of the text'),
        ),
        migrations.AddField(
            model_name='source',
            name='full_text_public',
            field=models.BooleanField(default=False, help_text='Whether the public may read the whole archived text (a licence question: an official publication may be shown; otherwise only the paragraphs quoted from are).', verbose_name='full text may be shown'),
        ),
        migrations.AddField(
            model_name='source',
            name='retrieved',
            field=coe_kz.dates.EDTFField(blank=True, help_text='When the archived text was retrieved, as EDTF; a range when the exact day was not recorded.'),
        ),
        migrations.AddField(
            model_name='source',
            name='retrieved_earliest',
            field=models.DateField(blank=True, db_index=True, editable=False, help_text='Earliest day the retrieval date can mean; empty when open. Computed on save.', null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='retrieved_latest',
            field=models.DateField(blank=True, db_index=True, editable=False, help_text='Latest day the retrieval date can mean; empty when open. Computed on save.', null=True),
        ),
        migrations.AddField(
            model_name='source',
            name='text',
            field=models.TextField(blank=True, help_text="The text as published, archived: paragraphs separated by blank lines, the headline (or the page's header line) first. Every quote from the source must stand in it. Empty for a register, whose facts cite its pages."),
        ),
        migrations.AddField(
            model_name='source',
            name='text_sha256',
            field=models.CharField(blank=True, editable=False, help_text="SHA-256 of the archived text's UTF-8 bytes, taken when it was archived: a text changed since no longer matches it.", max_length=64, verbose_name='SHA-256 of the text'),
        ),
        migrations.AlterField(
            model_name='historicalsource',
            name='url',
            field=models.URLField(blank=True, help_text='The original address of the text, when known.', verbose_name='original address'),
        ),
        migrations.AlterField(
            model_name='source',
            name='url',
            field=models.URLField(blank=True, help_text='The original address of the text, when known.', verbose_name='original address'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(('retrieved_earliest__isnull', True), ('retrieved_latest__isnull', True), ('retrieved_earliest__lte', models.F('retrieved_latest')), _connector='OR'), name='source_retrieved_earliest_lte_latest', violation_error_message='A date cannot end before it starts.'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('text', ''), ('text_sha256', '')), models.Q(models.Q(('text', ''), _negated=True), ('text_sha256__regex', '^[0-9a-f]{64}$')), _connector='OR'), name='source_text_hashed', violation_error_message='An archived text keeps its SHA-256; a source with no text has none.'),
        ),
        migrations.AddField(
            model_name='historicalsetaside',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalsetaside',
            name='source',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='coe_kz.source'),
        ),
        migrations.AddField(
            model_name='setaside',
            name='source',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='set_asides', to='coe_kz.source'),
        ),
        migrations.AddConstraint(
            model_name='setaside',
            constraint=models.CheckConstraint(condition=models.Q(('passage', ''), _negated=True), name='setaside_passage_required', violation_error_message="Copy the sentences set aside from the source's text."),
        ),
        migrations.AddConstraint(
            model_name='setaside',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='setaside_reason_required', violation_error_message='Say why these sentences record no fact.'),
        ),
        migrations.AddConstraint(
            model_name='setaside',
            constraint=models.CheckConstraint(condition=models.Q(('paragraph__isnull', True), ('paragraph__gte', 1), _connector='OR'), name='setaside_paragraph_from_1', violation_error_message='Paragraphs are counted from 1 (the headline).'),
        ),
        migrations.AddConstraint(
            model_name='setaside',
            constraint=models.CheckConstraint(condition=models.Q(('publication__in', ['draft', 'published'])), name='setaside_publication_valid', violation_error_message='Publication must be draft or published.'),
        ),
        migrations.RunPython(let_the_roles_set_passages_aside, migrations.RunPython.noop),
    ]
