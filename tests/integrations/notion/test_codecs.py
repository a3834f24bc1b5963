from datetime import UTC, date, datetime

import pytest

from integrations.notion.codecs import CodecError, clip, decode, encode, rich_text, split_text
from integrations.notion.schema import Prop


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def test_split_text_respects_2000_utf16_units_and_keeps_surrogate_pairs():
    text = "a" * 1999 + "😀" + "b" * 10  # the emoji would straddle unit 2000
    pieces = split_text(text)
    assert "".join(pieces) == text
    assert all(utf16_len(p) <= 2000 for p in pieces)
    assert pieces[0] == "a" * 1999  # the pair moved whole to the next piece
    assert pieces[1].startswith("😀")


def test_rich_text_splits_long_text_and_refuses_more_than_100_objects():
    assert [len(o["text"]["content"]) for o in rich_text("x" * 4500)] == [2000, 2000, 500]
    assert rich_text("") == []
    with pytest.raises(CodecError, match="100"):
        rich_text("x" * (2000 * 100 + 1))


def test_clip_marks_cut_text():
    assert clip("short") == "short"
    cut = clip("y" * 3000, 100)
    assert utf16_len(cut) == 100 and cut.endswith("…")


@pytest.mark.parametrize(
    ("ptype", "value", "expected"),
    [
        ("number", 3.5, {"number": 3.5}),
        ("number", None, {"number": None}),
        ("select", "Late", {"select": {"name": "Late"}}),
        ("select", None, {"select": None}),
        ("status", "Done", {"status": {"name": "Done"}}),
        ("multi_select", ["a", "b"], {"multi_select": [{"name": "a"}, {"name": "b"}]}),
        ("date", date(2026, 1, 2), {"date": {"start": "2026-01-02"}}),
        ("people", ["u1"], {"people": [{"object": "user", "id": "u1"}]}),
        ("relation", ["p1", "p2"], {"relation": [{"id": "p1"}, {"id": "p2"}]}),
        ("checkbox", 1, {"checkbox": True}),
        ("url", "https://x.go.id", {"url": "https://x.go.id"}),
        ("email", "", {"email": None}),
    ],
)
def test_encode_by_type(ptype, value, expected):
    prop = Prop("P", ptype, relation_to="x" if ptype == "relation" else None)
    assert encode(prop, value) == expected


def test_encode_refuses_wrong_types():
    with pytest.raises(CodecError):
        encode(Prop("N", "number"), "3")
    with pytest.raises(CodecError):
        encode(Prop("N", "number"), True)
    with pytest.raises(CodecError):
        encode(Prop("D", "date"), "not a date")
    with pytest.raises(CodecError):
        encode(Prop("R", "relation", relation_to="x"), [str(i) for i in range(101)])


def test_decode_round_trips_response_shapes():
    title = {"type": "title", "title": [{"type": "text", "text": {"content": "Hi"},
                                         "plain_text": "Hi"}]}
    assert decode(title) == "Hi"
    assert decode({"type": "select", "select": {"id": "x", "name": "Late", "color": "red"}}) == "Late"
    assert decode({"type": "select", "select": None}) is None
    assert decode({"type": "date", "date": {"start": "2026-03-01", "end": None}}) == date(2026, 3, 1)
    assert decode({"type": "date", "date": {"start": "2026-03-01T10:00:00.000Z"}}) == datetime(
        2026, 3, 1, 10, tzinfo=UTC)
    assert decode({"type": "people", "people": [{"object": "user", "id": "u"}]}) == ["u"]
    assert decode({"type": "relation", "relation": [{"id": "a"}], "has_more": False}) == ["a"]
    assert decode({"type": "checkbox", "checkbox": False}) is False
    assert decode({"type": "files", "files": [{"name": "a", "type": "external",
                                               "external": {"url": "https://f/a"}}]}) == ["https://f/a"]
