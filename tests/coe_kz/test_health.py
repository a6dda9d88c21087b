"""/healthz (coe_kz.health): what a load balancer asks each server. That it tells a
stopped database, and what a database restart costs readers, is shown against a real
PostgreSQL server in test_database_restart.py."""


def test_healthz_says_the_database_and_cache_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_ignores_any_query_string_and_takes_head_only_besides_get(client, db):
    assert client.get("/healthz?probe=1&utm_source=lb").status_code == 200
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_healthz_names_what_does_not_answer_with_a_503(client, db, settings):
    # A second cache whose table was never made: reading it fails as a down server would.
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "no_such_table"},
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "ok", "cache shared": "unavailable"}
