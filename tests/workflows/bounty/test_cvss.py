"""CVSS scores agree with FIRST's calculator on every vector of the reference sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workflows.bounty.cvss import CvssError, score_vector
from workflows.cli import main

DATA = Path(__file__).parent / "data"


def _vectors(name: str) -> list[tuple[str, float]]:
    out = []
    for line in (DATA / name).read_text().splitlines():
        vector, scores = line.split(" - ")
        out.append((vector, float(scores.strip("()").split(",")[0])))
    return out


def _band(score: float) -> str:
    if score == 0:
        return "None"
    return "Low" if score < 4 else "Medium" if score < 7 else "High" if score < 9 else "Critical"


@pytest.mark.parametrize("name,version", [("vectors_simple31", "3.1"), ("vectors_simple4", "4.0")])
def test_every_reference_vector_scores_as_first(name, version):
    vectors = _vectors(name)
    assert len(vectors) > 1000
    wrong = []
    for vector, expected in vectors:
        s = score_vector(vector)
        if (s.base_score, s.severity, s.version) != (expected, _band(expected), version):
            wrong.append((vector, s.base_score, expected))
    assert wrong == []


def test_first_spec_examples():
    # CVSS v3.1 specification examples (CVE-2013-1937 reflected XSS: 6.1) and the 9.8 classic.
    assert score_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").base_score == 6.1
    assert score_vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").severity == "Critical"
    assert score_vector("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").version == "3.0"
    v4 = score_vector("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
    assert (v4.base_score, v4.severity) == (9.3, "Critical")


@pytest.mark.parametrize("bad,why", [
    ("", "empty"),
    ("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "must start with"),
    ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", "invalid"),
    ("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "invalid"),
    ("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P", "must start with"),
    ("CVSS:4.0/AV:N", "invalid"),
    ("CVSS:3.1/" + "A" * 400, "longer than"),
])
def test_bad_vectors_are_refused_with_a_reason(bad, why):
    with pytest.raises(CvssError, match=why):
        score_vector(bad)


def test_cli_json_lines(capsys):
    with pytest.raises(SystemExit) as done:
        main(["bounty", "cvss", "--json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
              "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"])
    assert done.value.code == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", "version": "3.1",
         "base_score": 6.1, "severity": "Medium"},
        {"vector": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
         "version": "4.0", "base_score": 9.3, "severity": "Critical"},
    ]


def test_cli_bad_vector_exits_2_with_one_line_and_no_output(capsys):
    with pytest.raises(SystemExit) as done:
        main(["bounty", "cvss", "--json", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "nope"])
    assert done.value.code == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.count("\n") == 1 and "nope" in out.err


def test_cli_without_vectors_exits_2(capsys):
    with pytest.raises(SystemExit) as done:
        main(["bounty", "cvss"])
    assert done.value.code == 2


def test_cli_vrt_search_json(capsys):
    with pytest.raises(SystemExit) as done:
        main(["bounty", "vrt", "--json", "sql", "injection"])
    assert done.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["classes"][0] == {"id": "server_side_injection.sql_injection",
                                 "name": "Server-Side Injection > SQL Injection", "priority": 1,
                                 "cwe": ["CWE-89"],
                                 "cvss_v3": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:L/A:N"}
