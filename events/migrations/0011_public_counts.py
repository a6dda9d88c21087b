"""The number of published events (events.models.PublicEventTotal) and each person's
number of public events (events.models.PublicEventCount), kept by the database: triggers
on events, participations and people update them whatever writes them (the publication
services, imports, seed, a restore, a bulk load, raw SQL).

A participation counts when it is published and so is its event. Each trigger adds or
takes away what the rows it sees count, looking at the other table as it stands, so the
number is right in whatever order a transaction writes them (loaddata may write a
participation before its event, or its person; Django deletes an event's or a person's
participations before the record). A person's row is made with the person, from what
already names them, and goes with them.

On SQLite, a later migration that rebuilds events_event, events_participation or
events_person (Django's remake of a table for most AlterField, RemoveField and constraint
changes) fails inside these triggers: drop them before it and make them again after.
"""

import django.db.models.deletion
from django.db import migrations, models

COUNTS = "events_publiceventcount"
PUBLIC_EVENT = "SELECT 1 FROM events_event WHERE id = {row}.event_id AND publication = 'published'"
# Each person's number among an event's published participations.
OF_EVENT = (
    "SELECT person_id, count(*) AS events FROM events_participation "
    "WHERE event_id = {row}.id AND publication = 'published' GROUP BY person_id"
)
# A person's number, counted.
OF_PERSON = (
    "SELECT {row}.slug, count(*) FROM events_participation p JOIN events_event e ON e.id = p.event_id "
    "WHERE p.person_id = {row}.slug AND p.publication = 'published' AND e.publication = 'published'"
)
ADD_ONE = (
    f"INSERT INTO {COUNTS} (person_id, events) SELECT NEW.person_id, 1 "
    f"WHERE NEW.publication = 'published' AND EXISTS ({PUBLIC_EVENT.format(row='NEW')}) "
    f"ON CONFLICT (person_id) DO UPDATE SET events = {COUNTS}.events + 1"
)
TAKE_ONE = (
    f"UPDATE {COUNTS} SET events = events - 1 WHERE person_id = OLD.person_id "
    f"AND OLD.publication = 'published' AND EXISTS ({PUBLIC_EVENT.format(row='OLD')})"
)
ADD_EVENT = (
    f"INSERT INTO {COUNTS} (person_id, events) SELECT person_id, events FROM ({OF_EVENT.format(row='NEW')}) n "
    f"WHERE NEW.publication = 'published' "
    f"ON CONFLICT (person_id) DO UPDATE SET events = {COUNTS}.events + excluded.events"
)
TAKE_EVENT = (
    f"UPDATE {COUNTS} SET events = events - (SELECT count(*) FROM events_participation p "
    f"WHERE p.event_id = OLD.id AND p.publication = 'published' AND p.person_id = {COUNTS}.person_id) "
    f"WHERE OLD.publication = 'published' AND person_id IN (SELECT person_id FROM events_participation "
    f"WHERE event_id = OLD.id AND publication = 'published')"
)
COUNT_PERSON = (
    f"INSERT INTO {COUNTS} (person_id, events) {OF_PERSON.format(row='NEW')} "
    f"ON CONFLICT (person_id) DO UPDATE SET events = excluded.events"
)
DROP_PERSON = f"DELETE FROM {COUNTS} WHERE person_id = OLD.slug"

# table, trigger, its statements after INSERT, after DELETE, after UPDATE (when what counts changed)
TRIGGERS = [
    (
        "events_participation",
        [ADD_ONE],
        [TAKE_ONE],
        [TAKE_ONE, ADD_ONE],
        "OLD.publication <> NEW.publication OR OLD.person_id <> NEW.person_id OR OLD.event_id <> NEW.event_id",
    ),
    ("events_event", [ADD_EVENT], [TAKE_EVENT], [TAKE_EVENT, ADD_EVENT], "OLD.publication <> NEW.publication"),
    ("events_person", [COUNT_PERSON], [DROP_PERSON], [DROP_PERSON, COUNT_PERSON], "OLD.slug <> NEW.slug"),
]


def counting(vendor: str) -> list[str]:
    """The statements that make the database keep the counts."""
    statements = []
    for table, inserted, deleted, updated, changed in TRIGGERS:
        for action, body, when in (("INSERT", inserted, ""), ("DELETE", deleted, ""), ("UPDATE", updated, changed)):
            name = f"{table}_counts_{action.lower()}"
            if vendor == "postgresql":
                statements.append(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "".join(f"{statement}; " for statement in body)
                    + "RETURN NULL; END; $$"
                )
                statements.append(
                    f"CREATE TRIGGER {name} AFTER {action} ON {table} FOR EACH ROW "
                    + (f"WHEN ({when}) " if when else "")
                    + f"EXECUTE FUNCTION {name}()"
                )
            elif vendor == "sqlite":
                statements.append(
                    f"CREATE TRIGGER {name} AFTER {action} ON {table} "
                    + (f"WHEN {when} " if when else "")
                    + "BEGIN "
                    + "".join(f"{statement}; " for statement in body)
                    + "END"
                )
    return statements


TOTAL = "events_publiceventtotal"
PUBLISHED_AMONG = "(SELECT count(*) FROM {rows} WHERE publication = 'published')"


def change_total(change: str, *, make: bool) -> str:
    """The statement that changes the number of published events by `change`; with
    `make`, it makes the row if there is none (the database was emptied: Django's flush
    in tests). A removal never makes it: an emptied database has nothing to remove."""
    if make:
        return (
            f"INSERT INTO {TOTAL} (id, events) SELECT 1, 0 {change} WHERE true "
            f"ON CONFLICT (id) DO UPDATE SET events = {TOTAL}.events {change}"
        )
    return f"UPDATE {TOTAL} SET events = events {change}"


def totalling(vendor: str) -> list[str]:
    """The statements that keep the number of published events. On PostgreSQL a trigger
    runs once per statement, with the rows it wrote (transition tables): once per row,
    a bulk load of thousands of events would write the one row thousands of times in
    one transaction, each finding its latest version past all the earlier ones."""
    if vendor == "postgresql":
        changes = {
            "INSERT": ("REFERENCING NEW TABLE AS added", "+ " + PUBLISHED_AMONG.format(rows="added")),
            "DELETE": ("REFERENCING OLD TABLE AS removed", "- " + PUBLISHED_AMONG.format(rows="removed")),
            "UPDATE": (
                "REFERENCING OLD TABLE AS before NEW TABLE AS after",
                "+ " + PUBLISHED_AMONG.format(rows="after") + " - " + PUBLISHED_AMONG.format(rows="before"),
            ),
        }
        statements = []
        for action, (referencing, change) in changes.items():
            name = f"events_event_total_{action.lower()}"
            statements.append(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                f"{change_total(change, make=action != 'DELETE')}; RETURN NULL; END; $$"
            )
            statements.append(
                f"CREATE TRIGGER {name} AFTER {action} ON events_event {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
        return statements
    if vendor == "sqlite":
        changes = {
            "INSERT": ("NEW.publication = 'published'", "+ 1"),
            "DELETE": ("OLD.publication = 'published'", "- 1"),
            "UPDATE": (
                "OLD.publication <> NEW.publication",
                "+ CASE WHEN NEW.publication = 'published' THEN 1 ELSE -1 END",
            ),
        }
        return [
            f"CREATE TRIGGER events_event_total_{action.lower()} AFTER {action} ON events_event "
            f"WHEN {when} BEGIN {change_total(change, make=action != 'DELETE')}; END"
            for action, (when, change) in changes.items()
        ]
    return []


def not_counting(vendor: str) -> list[str]:
    statements = []
    names = [(f"{table}_counts", table) for table, *_ in TRIGGERS] + [("events_event_total", "events_event")]
    for prefix, table in names:
        for action in ("insert", "delete", "update"):
            name = f"{prefix}_{action}"
            statements.append(f"DROP TRIGGER {name}" + (f" ON {table}" if vendor == "postgresql" else ""))
            if vendor == "postgresql":
                statements.append(f"DROP FUNCTION {name}()")
    return statements


def count(apps, schema_editor):
    """The counts of the data already there, then the triggers that keep them."""
    schema_editor.execute(
        f"INSERT INTO {TOTAL} (id, events) SELECT 1, count(*) FROM events_event WHERE publication = 'published'"
    )
    schema_editor.execute(
        f"INSERT INTO {COUNTS} (person_id, events) SELECT slug, (SELECT count(*) FROM events_participation p "
        "JOIN events_event e ON e.id = p.event_id WHERE p.person_id = events_person.slug "
        "AND p.publication = 'published' AND e.publication = 'published') FROM events_person"
    )
    for statement in counting(schema_editor.connection.vendor) + totalling(schema_editor.connection.vendor):
        schema_editor.execute(statement)


def stop_counting(apps, schema_editor):
    for statement in not_counting(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0010_translations'),
    ]

    operations = [
        migrations.CreateModel(
            name='PublicEventCount',
            fields=[
                ('person', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='public_events', serialize=False, to='events.person')),
                ('events', models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name='PublicEventTotal',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('events', models.IntegerField()),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='publiceventtotal_one_row')],
            },
        ),
        migrations.RunPython(count, stop_counting),
    ]
