"""The core's datasets (coe_kz/exports.py): the passages, every sentence of the archived
texts with what accounts for it, as CSV and through the API."""

from coe_kz.models import SetAside, Source
from events.models import Event, EventCitation
from tests.helpers import cite, get_csv, published


def test_the_curated_passages_list_every_sentence_of_the_three_texts_none_open(client, curated):
    _, header, rows = get_csv(client, "/export/passages.csv")
    assert header == ["source", "paragraph", "sentence", "text", "cited_by", "set_aside_reason"]
    assert len(rows) == 66
    assert {row["source"] for row in rows} == {
        "regional-office-article",
        "mfa-2023-10-07",
        "kz-coe-cooperation-2018",
    }
    assert [row for row in rows if not row["cited_by"] and not row["set_aside_reason"]] == []
    seventy = next(row for row in rows if "70%" in row["text"])
    assert (seventy["source"], seventy["paragraph"], seventy["sentence"]) == ("mfa-2023-10-07", "8", "2")
    (event,) = Event.objects.filter(title__contains="70% consistent")
    assert seventy["cited_by"] == f"event:{event.pk}"
    stamp = next(
        row for row in rows if row["source"] == "kz-coe-cooperation-2018" and row["paragraph"] == "27"
    )
    assert stamp["set_aside_reason"].startswith("The page's timestamp: it dates the source itself")
    # The 2018 page's full text may not be shown: a paragraph no record quotes has no text.
    assert (stamp["text"], stamp["cited_by"]) == ("", "")
    wrapped = next(
        row for row in rows if row["source"] == "kz-coe-cooperation-2018" and row["paragraph"] == "3"
    )
    assert wrapped["text"].startswith("Not being a member") and "\n" not in wrapped["text"]


def test_passages_are_narrowed_by_source_and_served_by_the_api(client, curated):
    _, _, rows = get_csv(client, "/export/passages.csv?key=mfa-2023-10-07")
    assert len(rows) == 20 and {row["source"] for row in rows} == {"mfa-2023-10-07"}
    first = client.get("/api/passages/?key=mfa-2023-10-07&page_size=2").json()
    assert first["count"] == 20
    assert first["results"][0] == {
        "source": "mfa-2023-10-07",
        "paragraph": 1,
        "sentence": 1,
        "text": "date 2023-10-07 Images | Kazakh MFA",
        "cited_by": [],
        "set_aside_reason": "The page's header: it gives the source's own date and publisher, recorded on "
        "the source, not a fact about Kazakhstan and the Council of Europe.",
    }
    assert first["results"][1]["cited_by"][:2] == ["event:16", "person:roman-vassilenko"]


def test_drafts_account_for_no_sentence_and_a_draft_source_has_none(client, db):
    source = published(
        Source, key="news", title="News", text="One fact.\n\nAnother fact.", full_text_public=True
    )
    event = published(Event, date="2020", title="A fact", kind="meeting")
    cite(EventCitation, event, source, "One fact.")
    cite(EventCitation, event, source, "Another fact.", publication="draft")
    SetAside.objects.create(source=source, passage="Another fact.", reason="Draft reason.")
    Source.objects.create(key="draft-news", title="A draft", text="Secret fact.")  # a draft, as new rows are
    _, _, rows = get_csv(client, "/export/passages.csv")
    assert [(r["source"], r["text"], r["cited_by"], r["set_aside_reason"]) for r in rows] == [
        ("news", "One fact.", f"event:{event.pk}", ""),
        ("news", "Another fact.", "", ""),  # open: its citation and its set-aside are drafts
    ]


def test_one_sentence_by_its_source_paragraph_and_number(client, curated):
    row = client.get("/api/passages/mfa-2023-10-07/8/2/").json()
    assert row["text"].startswith("It was highlighted that the current legislation")
    missing = {
        "/api/passages/mfa-2023-10-07/8/9/": "No sentence 9 in paragraph 8 of the source “mfa-2023-10-07”.",
        "/api/passages/mfa-2023-10-07/x/1/": "No sentence 1 in paragraph x of the source “mfa-2023-10-07”.",
        "/api/passages/no-such-text/1/1/": "No source with the key “no-such-text”.",
    }
    for url, detail in missing.items():
        response = client.get(url)
        assert (response.status_code, response.json()) == (404, {"detail": detail}), url
