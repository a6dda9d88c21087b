"""`manage.py export` writes exactly the bytes the HTTP endpoint serves."""

import pytest
from django.core.management import CommandError, call_command

from treaties.models import Treaty


def http_bytes(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (["events", "--filter", "kind=visit"], "/export/events.csv?kind=visit"),
        (["status", "--as-of", "2015-06-30"], "/export/status.csv?as_of=2015-06-30"),
        (["citations", "--bom"], "/export/citations.csv?bom=1"),
        (["treaty_steps", "--filter", "q=Laundering"], "/export/treaty_steps.csv?q=Laundering"),
    ],
)
def test_command_writes_the_same_bytes_as_http(client, world, tmp_path, args, url):
    out = tmp_path / "out.csv"
    call_command("export", *args, "-o", str(out))
    written = out.read_bytes()
    assert written == http_bytes(client, url)
    assert written.count(b"\r\n") > 1  # a header and at least one row


def test_command_takes_lang_as_the_url_does(client, world, tmp_path):
    treaty = Treaty.objects.order_by("number").first()
    treaty.title_ru = "Конвенция по-русски"
    treaty.save()
    out = tmp_path / "out.csv"
    call_command("export", "treaties", "--lang", "ru", "-o", str(out))
    assert out.read_bytes() == http_bytes(client, "/export/treaties.csv?lang=ru")
    assert "Конвенция по-русски" in out.read_bytes().decode()
    call_command("export", "treaties", "--lang", "en", "-o", str(out))
    assert out.read_bytes() == http_bytes(client, "/export/treaties.csv")
    with pytest.raises(CommandError, match="is not a language of the data; use one of: en, kk, ru."):
        call_command("export", "treaties", "--lang", "de")
    with pytest.raises(CommandError, match="--bom and --lang do not apply"):
        call_command("export", "--release", "2026.1", "--lang", "ru")


def test_command_writes_to_standard_output(client, world, capsysbinary):
    call_command("export", "people")
    assert capsysbinary.readouterr().out == http_bytes(client, "/export/people.csv")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--as-of", "2015-02-30"], "as_of: “2015-02-30” is not a calendar day"),
        (["events", "--filter", "kind=party"], "kind: “party” is not one of: cooperation, meeting,"),
        (["events", "--filter", "kind"], "--filter “kind” is not KEY=VALUE."),
        (["events", "--as-of", "2015-06-30"], "Unknown parameter “as_of”"),
    ],
)
def test_command_refuses_bad_parameters_with_the_reason(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export", *args)


def test_command_refuses_an_unknown_dataset(db):
    with pytest.raises(CommandError, match="invalid choice: 'votes'"):
        call_command("export", "votes")
