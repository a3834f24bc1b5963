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


def _evaluate(split, with_url):
    import importlib.util

    path = Path(__file__).parents[3] / "scripts" / "eval_judol.py"
    spec = importlib.util.spec_from_file_location("eval_judol", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.evaluate(split, with_url)


def test_frozen_test_split_meets_the_targets():
    for with_url in (True, False):
        r = _evaluate("test", with_url)
        assert r["precision"] >= 0.98 and r["recall"] >= 0.95, (r["mode"], r["errors"])


def test_every_trap_page_is_clean_with_and_without_url():
    """Share bars, own canonicals (also served under an IP or mirror), quoted promo phrases,
    gambling news, "link alternatif" downloads, search echoes: none is flagged."""
    for split in ("dev", "test"):
        for with_url in (True, False):
            wrong = [name for name, _, _ in _evaluate(split, with_url)["errors"] if name.startswith("clean")]
            assert wrong == [], (split, with_url)
