"""Each filter operator family, compound filters, timestamp filters and sorts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from notion_client import APIResponseError

from .conftest import create_tasks, text, title


@pytest.fixture
def rows(client, workspace, clock):
    """Five pages with known values; returns (client, data_source_id, people)."""
    _, ds_id = create_tasks(client, workspace.root_page_id)
    ayu, budi = workspace.add_user("Ayu"), workspace.add_user("Budi")
    today = workspace.clock().date()
    specs = [
        ("Alpha report", "Security audit", 10, "Draft", ["a"], "Not started",
         str(today - timedelta(days=3)), [ayu], True, "https://a.go.id"),
        ("beta plan", "", 20, "Review", ["a", "b"], "In progress",
         f"{today + timedelta(days=3)}T09:00:00.000+08:00", [budi], False, None),
        ("Gamma", "audit log", None, None, [], "Done", str(today - timedelta(days=40)),
         [ayu, budi], False, None),
        ("Delta report", "misc", 5, "Final", ["b"], "Done", None, [], True, "https://d.go.id"),
        ("", "", 0, "Draft", [], "Not started", str(today + timedelta(days=200)), [], False,
         None),
    ]
    for name, notes, score, stage, tags, status, due, people, done, link in specs:
        props = {"Name": title(name), "Notes": text(notes) if notes else {"rich_text": []},
                 "Score": {"number": score}, "Tags": {"multi_select": [{"name": t} for t in tags]},
                 "Status": {"status": {"name": status}},
                 "Owner": {"people": [{"id": p} for p in people]}, "Done": {"checkbox": done},
                 "Link": {"url": link}, "Stage": {"select": {"name": stage} if stage else None},
                 "Due": {"date": {"start": due} if due else None}}
        client.pages.create(parent={"data_source_id": ds_id}, properties=props)
        clock.advance(minutes=1)
    return client, ds_id, (ayu, budi)


def names(client, ds_id, filter=None, sorts=None) -> list[str]:
    body = {}
    if filter is not None:
        body["filter"] = filter
    if sorts is not None:
        body["sorts"] = sorts
    result = client.data_sources.query(ds_id, **body)
    return [p["properties"]["Name"]["title"][0]["plain_text"]
            if p["properties"]["Name"]["title"] else "" for p in result["results"]]


TEXT_CASES = [
    ({"equals": "Gamma"}, ["Gamma"]),
    ({"does_not_equal": "Gamma"}, ["Alpha report", "beta plan", "Delta report", ""]),
    ({"contains": "REPORT"}, ["Alpha report", "Delta report"]),
    ({"does_not_contain": "report"}, ["beta plan", "Gamma", ""]),
    ({"starts_with": "b"}, ["beta plan"]),
    ({"ends_with": "Report"}, ["Alpha report", "Delta report"]),
    ({"is_empty": True}, [""]),
    ({"is_not_empty": True}, ["Alpha report", "beta plan", "Gamma", "Delta report"]),
]


@pytest.mark.parametrize(("condition", "expected"), TEXT_CASES)
def test_text_operators(rows, condition, expected):
    client, ds_id, _ = rows
    assert names(client, ds_id, {"property": "Name", "title": condition}) == expected


def test_rich_text_url_checkbox(rows):
    client, ds_id, _ = rows
    assert names(client, ds_id, {"property": "Notes", "rich_text": {"contains": "audit"}}) == [
        "Alpha report", "Gamma"]
    assert names(client, ds_id, {"property": "Link", "url": {"is_not_empty": True}}) == [
        "Alpha report", "Delta report"]
    assert names(client, ds_id, {"property": "Done", "checkbox": {"equals": True}}) == [
        "Alpha report", "Delta report"]
    assert names(client, ds_id, {"property": "Done", "checkbox": {"does_not_equal": True}}) == [
        "beta plan", "Gamma", ""]


NUMBER_CASES = [
    ({"equals": 20}, ["beta plan"]),
    ({"does_not_equal": 20}, ["Alpha report", "Gamma", "Delta report", ""]),
    ({"greater_than": 5}, ["Alpha report", "beta plan"]),
    ({"less_than": 10}, ["Delta report", ""]),
    ({"greater_than_or_equal_to": 10}, ["Alpha report", "beta plan"]),
    ({"less_than_or_equal_to": 5}, ["Delta report", ""]),
    ({"is_empty": True}, ["Gamma"]),
    ({"is_not_empty": True}, ["Alpha report", "beta plan", "Delta report", ""]),
]


@pytest.mark.parametrize(("condition", "expected"), NUMBER_CASES)
def test_number_operators(rows, condition, expected):
    client, ds_id, _ = rows
    assert names(client, ds_id, {"property": "Score", "number": condition}) == expected


def test_select_and_status(rows):
    client, ds_id, _ = rows
    assert names(client, ds_id, {"property": "Stage", "select": {"equals": "Draft"}}) == [
        "Alpha report", ""]
    assert names(client, ds_id, {"property": "Stage", "select": {"does_not_equal": "Draft"}}) == [
        "beta plan", "Gamma", "Delta report"]
    assert names(client, ds_id, {"property": "Stage", "select": {"is_empty": True}}) == ["Gamma"]
    assert names(client, ds_id, {"property": "Status", "status": {"equals": "Done"}}) == [
        "Gamma", "Delta report"]
    assert len(names(client, ds_id, {"property": "Status",
                                     "status": {"is_not_empty": True}})) == 5


def test_multi_select_and_people(rows):
    client, ds_id, (ayu, budi) = rows
    assert names(client, ds_id, {"property": "Tags", "multi_select": {"contains": "b"}}) == [
        "beta plan", "Delta report"]
    assert names(client, ds_id, {"property": "Tags",
                                 "multi_select": {"does_not_contain": "a"}}) == [
        "Gamma", "Delta report", ""]
    assert names(client, ds_id, {"property": "Tags", "multi_select": {"is_empty": True}}) == [
        "Gamma", ""]
    assert names(client, ds_id, {"property": "Owner", "people": {"contains": ayu}}) == [
        "Alpha report", "Gamma"]
    assert names(client, ds_id, {"property": "Owner", "people": {"is_not_empty": True}}) == [
        "Alpha report", "beta plan", "Gamma"]


def test_date_operators(rows, workspace):
    client, ds_id, _ = rows
    today = workspace.clock().date()

    def due(condition):
        return names(client, ds_id, {"property": "Due", "date": condition})

    assert due({"equals": str(today - timedelta(days=3))}) == ["Alpha report"]
    assert due({"before": str(today)}) == ["Alpha report", "Gamma"]
    assert due({"after": str(today)}) == ["beta plan", ""]
    assert due({"on_or_before": str(today - timedelta(days=3))}) == ["Alpha report", "Gamma"]
    assert due({"on_or_after": str(today + timedelta(days=3))}) == ["beta plan", ""]
    assert due({"equals": str(today + timedelta(days=3))}) == ["beta plan"]
    assert due({"past_week": {}}) == ["Alpha report"]
    assert due({"past_month": {}}) == ["Alpha report"]
    assert due({"past_year": {}}) == ["Alpha report", "Gamma"]
    assert due({"next_week": {}}) == ["beta plan"]
    assert due({"next_month": {}}) == ["beta plan"]
    assert due({"next_year": {}}) == ["beta plan", ""]
    assert due({"is_empty": True}) == ["Delta report"]
    assert len(due({"is_not_empty": True})) == 4
    # the clock stands on a Sunday: this week is Monday 6 days ago to today
    assert today.weekday() == 6
    assert due({"this_week": {}}) == ["Alpha report"]


def test_datetime_filter_compares_instants(rows, workspace):
    client, ds_id, _ = rows
    day = workspace.clock().date() + timedelta(days=3)
    # beta plan is due at 09:00+08:00 = 01:00Z on that day
    assert names(client, ds_id, {"property": "Due",
                                 "date": {"after": f"{day}T00:30:00Z"}}) == ["beta plan", ""]
    assert names(client, ds_id, {"property": "Due",
                                 "date": {"after": f"{day}T02:00:00Z"}}) == [""]


def test_compound_filters_nest_two_levels(rows):
    client, ds_id, _ = rows
    nested = {"or": [
        {"property": "Score", "number": {"greater_than": 15}},
        {"and": [{"property": "Done", "checkbox": {"equals": True}},
                 {"or": [{"property": "Stage", "select": {"equals": "Final"}},
                         {"property": "Tags", "multi_select": {"contains": "zzz"}}]}]},
    ]}
    assert names(client, ds_id, nested) == ["beta plan", "Delta report"]
    too_deep = {"and": [{"or": [{"and": [{"or": [{"property": "Done",
                                                  "checkbox": {"equals": True}}]}]}]}]}
    with pytest.raises(APIResponseError) as caught:
        client.data_sources.query(ds_id, filter=too_deep)
    assert caught.value.code == "validation_error"


def test_timestamp_filters(rows):
    client, ds_id, _ = rows
    all_rows = client.data_sources.query(ds_id)["results"]
    third = all_rows[2]
    since = {"timestamp": "last_edited_time", "last_edited_time": {"on_or_after": "2000-01-01"}}
    assert len(names(client, ds_id, since)) == 5
    later = {"timestamp": "created_time",
             "created_time": {"after": third["created_time"]}}
    # the rows were made a minute apart: the last two come after the third
    assert names(client, ds_id, later) == ["Delta report", ""]


def test_sorts_are_stable_with_empties_last(rows):
    client, ds_id, _ = rows
    assert names(client, ds_id, sorts=[{"property": "Score", "direction": "ascending"}]) == [
        "", "Delta report", "Alpha report", "beta plan", "Gamma"]
    assert names(client, ds_id, sorts=[{"property": "Score", "direction": "descending"}]) == [
        "beta plan", "Alpha report", "Delta report", "", "Gamma"]
    by_stage = [{"property": "Stage", "direction": "ascending"},
                {"property": "Name", "direction": "descending"}]
    assert names(client, ds_id, sorts=by_stage) == [
        "Alpha report", "", "beta plan", "Delta report", "Gamma"]
    newest = names(client, ds_id, sorts=[{"timestamp": "created_time",
                                          "direction": "descending"}])
    assert newest == list(reversed(names(client, ds_id)))


def test_unknown_filter_property_is_a_validation_error(rows):
    client, ds_id, _ = rows
    with pytest.raises(APIResponseError) as caught:
        client.data_sources.query(ds_id, filter={"property": "Nope", "number": {"equals": 1}})
    assert caught.value.code == "validation_error"
    assert str(caught.value) == "Could not find property with name or id: Nope"
    with pytest.raises(APIResponseError):
        client.data_sources.query(ds_id, filter={"property": "Score", "number": {"like": 1}})


def test_people_me_and_created_by(rows, workspace):
    client, ds_id, _ = rows
    client.data_sources.update(ds_id, properties={"Author": {"created_by": {}}})
    mine = {"property": "Author", "created_by": {"contains": "me"}}
    assert len(names(client, ds_id, mine)) == 5
    nobody = {"property": "Owner", "people": {"contains": "me"}}
    assert names(client, ds_id, nobody) == []
    as_text = {"property": "Name", "rich_text": {"starts_with": "gam"}}
    assert names(client, ds_id, as_text) == ["Gamma"]
    with pytest.raises(APIResponseError):
        client.data_sources.query(ds_id, filter={"property": "Score", "select": {"equals": "1"}})
