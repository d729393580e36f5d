from tests.venue_api.conftest import bearer

API = "/api/venue/v1"


def test_requests_past_the_limit_get_429_with_retry_after(client, settings, token):
    settings.VENUE_API_RATE_LIMIT = 3
    settings.VENUE_API_RATE_WINDOW = 60
    statuses = [client.get(f"{API}/revocations", **bearer(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get(f"{API}/revocations", **bearer(token))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60


def test_guessing_tokens_is_limited_per_address(client, settings, db):
    settings.VENUE_API_RATE_LIMIT = 2
    statuses = [
        client.get(f"{API}/packages", **bearer(f"guess{n}.secret")).status_code for n in range(3)
    ]
    assert statuses == [401, 401, 429]


def test_the_limit_counts_per_token(client, settings, token, other_token):
    settings.VENUE_API_RATE_LIMIT = 2
    # Two addresses so that only the token counter can be the one that runs out.
    first = [
        client.get(f"{API}/revocations", REMOTE_ADDR=f"10.0.0.{n}", **bearer(token)).status_code
        for n in range(3)
    ]
    other = client.get(f"{API}/revocations", REMOTE_ADDR="10.0.1.1", **bearer(other_token))
    assert first == [200, 200, 429]
    assert other.status_code == 200
