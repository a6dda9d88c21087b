"""Backup and restore as the README documents them: a PostgreSQL dump of the curated data,
restored into a new database, gives byte-identical exports (every CSV, and the data
package but for its creation time), passes `manage.py verify`, and takes new records.
It runs on a PostgreSQL server of its own (tests/postgres.py), whatever database the
suite runs on."""

import json
import os
import subprocess
import zipfile

from tests.helpers import manage, readme_blocks
from tests.postgres import PG_BIN

# Run by `manage.py shell` against the database of its environment: every dataset as
# `manage.py export` writes it, and the data package as /export/coe-kz.zip serves it.
EXPORT_ALL = """
from django.core.management import call_command
from django.test import Client
from coe_kz.site.datasets import DATASETS
for name in DATASETS:
    call_command("export", name, output=f"{directory}/{{name}}.csv")
response = Client().get("/export/coe-kz.zip")
assert response.status_code == 200, response.status_code
with open("{directory}/coe-kz.zip", "wb") as package:
    package.writelines(response.streaming_content)
"""


def exports(environment: dict[str, str], directory) -> dict[str, bytes]:
    """Every file a researcher can download, by name, from the database of `environment`."""
    directory.mkdir()
    result = manage(
        {**environment, "ALLOWED_HOSTS": "testserver"}, "shell", "-c", EXPORT_ALL.format(directory=directory)
    )
    assert result.returncode == 0, result.stderr
    files = {path.name: path.read_bytes() for path in directory.glob("*.csv")}
    with zipfile.ZipFile(directory / "coe-kz.zip") as package:
        for name in package.namelist():
            content = package.read(name)
            if name == "datapackage.json":  # when it was made is the one thing that differs
                descriptor = json.loads(content)
                assert descriptor.pop("created")
                content = json.dumps(descriptor).encode()
            files[f"coe-kz.zip/{name}"] = content
    assert len(files) > 20
    return files


def added_after_restore(environment: dict[str, str]):
    """A new record can be saved: the restored key sequences go on from the old ones."""
    code = (
        "from coe_kz.models import Source; "
        "Source.objects.create(key='added-after-restore', title='Added after the restore')"
    )
    return manage(environment, "shell", "-c", code)


def test_the_readme_s_postgresql_backup_restores_the_same_exports(cluster, curated_on_cluster, tmp_path):
    before = exports(curated_on_cluster, tmp_path / "before")
    commands = next(block for block in readme_blocks() if "pg_dump" in block)
    environment = {
        **curated_on_cluster,
        "PATH": f"{PG_BIN}:{os.environ['PATH']}",  # this server's own client programs
    }
    result = subprocess.run(
        ["bash", "-euc", commands], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    restored = {**curated_on_cluster, "DATABASE_URL": cluster.url("coe_kz_restored")}
    assert exports(restored, tmp_path / "after") == before
    verified = manage(restored, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    added = added_after_restore(restored)
    assert added.returncode == 0, added.stderr
