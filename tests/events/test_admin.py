"""The events admin as an editor meets it."""

import re

from events.models import Event


def test_deleting_an_event_names_the_links_it_takes_along(editor_client, site_data):
    visit = Event.objects.get(title="Deputy minister visits Strasbourg")
    visit.bodies.add(site_data["bodies"][0])
    html = editor_client.get(f"/admin/events/event/{visit.pk}/delete/").content.decode()
    links = re.findall(r"<li>Event-(?:treaty|body) relationship: (.*?)</li>", html)
    assert links == [
        "“Deputy minister visits Strasbourg” concerns CETS No. 198 Warsaw",
        "“Deputy minister visits Strasbourg” concerns Group of States against Corruption (GRECO)",
    ]
    assert "object (" not in html
