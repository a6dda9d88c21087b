"""/export/coe-kz.zip: a Frictionless data package that frictionless itself accepts."""

import io
import json
import zipfile

import pytest
from frictionless import validate

from coe_kz.site.datasets import DATASETS


def download(client) -> zipfile.ZipFile:
    response = client.get("/export/coe-kz.zip")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def package(client, curated, tmp_path):
    """The curated data's package, unpacked into a directory."""
    download(client).extractall(tmp_path)
    return tmp_path


def test_curated_package_is_valid_with_keys_checked(package):
    report = validate(package / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} == set(DATASETS)


def test_package_describes_every_dataset_with_its_keys(package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    assert list(resources) == list(DATASETS)
    steps = resources["treaty_steps"]
    assert steps["path"] == "data/treaty_steps.csv"
    assert steps["schema"]["primaryKey"] == ["id"]
    assert steps["schema"]["foreignKeys"] == [
        {"fields": ["treaty"], "reference": {"resource": "treaties", "fields": ["number"]}}
    ]
    fields = {field["name"]: field for field in steps["schema"]["fields"]}
    assert fields["status"]["constraints"]["enum"] == [
        "none",
        "interested",
        "invited",
        "signed",
        "party",
        "denounced",
    ]
    assert fields["deprecated"]["type"] == "boolean"
    assert fields["date_earliest"]["type"] == "date"
    readme = (package / "README.md").read_text()
    for name in DATASETS:
        assert f"### data/{name}.csv" in readme


def test_package_files_are_the_csv_endpoints_bytes(client, curated):
    archive = download(client)
    for name in DATASETS:
        response = client.get(f"/export/{name}.csv")
        assert archive.read(f"data/{name}.csv") == b"".join(response.streaming_content), name


def test_validation_catches_a_row_that_breaks_a_foreign_key(package):
    # Proves the schema's keys are checked, so the passing test above means something.
    path = package / "data" / "participations.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    event, rest = lines[1].split(",", 1)
    path.write_text(lines[0] + f"99999,{rest}" + "".join(lines[2:]), encoding="utf-8")
    report = validate(package / "datapackage.json")
    assert not report.valid
    assert "foreign-key" in {error[0] for error in report.flatten(["type"])}


def test_package_takes_no_parameters(client, db):
    response = client.get("/export/coe-kz.zip?kind=visit")
    assert response.status_code == 400
    assert "Unknown parameter “kind”" in response.content.decode()


def test_package_names_the_address_it_was_downloaded_from(client, db):
    response = client.get("/export/coe-kz.zip", HTTP_HOST="localhost:8080")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("datapackage.json"))["homepage"] == "http://localhost:8080"
    assert "http://localhost:8080/export/" in archive.read("README.md").decode()
    # The same download from another address is another file, so it has another ETag.
    other = client.get("/export/coe-kz.zip", HTTP_HOST="127.0.0.1:8000")
    assert other["ETag"] != response["ETag"]


def test_package_declares_the_licence_the_site_states(client, package):
    descriptor = json.loads((package / "datapackage.json").read_text())
    assert descriptor["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    readme = (package / "README.md").read_text()
    assert "## Licence" in readme
    assert "Creative Commons Attribution 4.0 International licence (CC BY 4.0," in readme
    about = client.get("/about/").content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in about and "(CC BY 4.0)" in about
