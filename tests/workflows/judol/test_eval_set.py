"""The evaluation set: frozen, labelled, and really two different populations."""

import json
from pathlib import Path

from tests.workflows.judol.eval.generate import generate

EVAL = Path(__file__).parent / "eval"


def _manifest(split):
    return json.loads((EVAL / split / "manifest.json").read_text(encoding="utf-8"))


def test_committed_splits_are_what_the_generator_writes(tmp_path):
    for split in ("dev", "test"):
        manifest = generate(split, root=tmp_path)
        assert manifest == _manifest(split)
        for name in manifest:
            assert (tmp_path / split / name).read_bytes() == (EVAL / split / name).read_bytes(), name


def test_splits_are_large_labelled_and_disjoint():
    dev, test = _manifest("dev"), _manifest("test")
    assert len(dev) + len(test) >= 200
    for manifest in (dev, test):
        verdicts = [c["verdict"] for c in manifest.values()]
        assert verdicts.count("clean") >= 60 and verdicts.count("infected") >= 50
    host = lambda c: c["url"].split("/")[2]  # noqa: E731
    assert not {host(c) for c in dev.values()} & {host(c) for c in test.values()}
    assert not {c["theme"] for c in dev.values()} & {c["theme"] for c in test.values()}
    page_level = {
        "hidden-links",
        "hidden-content",
        "injected-page",
        "meta-hijack",
        "gambling-links",
        "js-injection",
        "redirect",
        "cloaking-referrer",
    }
    for manifest in (dev, test):
        assert page_level <= {t for c in manifest.values() for t in c["techniques"]}
