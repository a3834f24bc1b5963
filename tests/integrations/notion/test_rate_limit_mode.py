"""NOTION_LOCAL_RATE_LIMIT: the embedded workspace enforces Notion's limit; our client keeps to it."""

import httpx

from integrations.notion import Workspace


def test_rate_limit_mode_enforces_notions_limit_and_our_client_stays_under_it(settings):
    limited = settings.model_copy(update={"notion_local_rate_limit": True,
                                          "notion_local_burst": 3})
    ws = Workspace.open(limited)
    local = ws.local
    page = ws.ensure_page("Soak")
    local.reset_stats()
    for i in range(8):  # past the server's burst of 3: our limiter paces the rest
        ws.append(page, [{"paragraph": {"rich_text": [{"text": {"content": f"p{i}"}}]}}])
    stats = local.stats()["by_status"]
    assert stats.get("200") == 8
    # the client's burst (10) is larger than the server's (3): at most the first burst meets a 429
    assert stats.get("429", 0) <= 1
    assert len(ws.list_children(page)) == 8
    # a client without a limiter meets the server's limit at once
    with httpx.Client(transport=httpx.WSGITransport(app=local.wsgi_app),
                      base_url="http://notion.local") as raw:
        headers = {"Authorization": f"Bearer {local.token}", "Notion-Version": "2025-09-03"}
        answers = [raw.get("/v1/users/me", headers=headers) for _ in range(6)]
    limited_answer = next(r for r in answers if r.status_code == 429)
    assert limited_answer.json()["code"] == "rate_limited"
    assert int(limited_answer.headers["Retry-After"]) >= 1
