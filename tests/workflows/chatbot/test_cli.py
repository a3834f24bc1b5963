"""`spbe chatbot ask | eval | calibrate` through the real command line."""

import json

from click.testing import CliRunner

from workflows.chatbot.embedding import retriever_kind
from workflows.chatbot.kb import seed_path
from workflows.cli import _register, cli

LABELLED = seed_path().parent / "labelled"


def run(settings, *args, stdin=None, env=None):
    _register()
    return CliRunner().invoke(cli, list(args), input=stdin, obj=settings,
                              env={"SPBE_HOME": str(settings.spbe_home), **(env or {})})


def test_ask_json_lines_with_the_contract_fields(settings):
    result = run(settings, "chatbot", "ask", "--kb", str(seed_path()), "--json",
                 stdin="How much is the levy?\n\nbisa bayar tunai?\nwhere can I rent a scooter\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(d) for d in lines] == [{"question", "answer", "entry_id", "confidence", "handoff",
                                        "language"}] * 3
    assert [(d["entry_id"], d["handoff"], d["language"]) for d in lines] == [
        ("amount", False, "en"), ("cash", False, "id"), (None, True, "en")]
    assert lines[0]["answer"] == "The foreign tourist levy is IDR 150,000 per person."


def test_ask_without_kb_falls_back_to_the_seed_on_an_empty_home(settings):
    result = run(settings, "chatbot", "ask", "--json", stdin="I want to talk to a human\n")
    assert result.exit_code == 0, result.output
    reply = json.loads(result.stdout)
    assert (reply["entry_id"], reply["handoff"]) == ("human", True)
    assert not (settings.spbe_home / "workspace.sqlite3").exists()


def test_ask_bad_kb_exits_2_with_one_line(settings, tmp_path):
    bad = tmp_path / "kb.json"
    bad.write_text('{"items": [{"id": "x"}]}')
    result = run(settings, "chatbot", "ask", "--kb", str(bad), stdin="hi\n")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: item 0 has no a_en, a_id"
    missing = run(settings, "chatbot", "ask", "--kb", str(tmp_path / "none.json"), stdin="hi\n")
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def test_eval_prints_the_metrics(settings):
    result = run(settings, "chatbot", "eval", str(LABELLED / "eval.jsonl"), "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["top1"] >= 0.9 and doc["out_of_scope_handed_over"] == 1.0
    assert {"mrr", "handover_precision", "handover_recall", "misses"} <= set(doc)
    assert doc["retriever"] == retriever_kind(settings)  # what answered: auto resolved
    tfidf = run(settings, "chatbot", "eval", str(LABELLED / "eval.jsonl"), "--json",
                env={"CHATBOT_RETRIEVER": "tfidf"})
    assert json.loads(tfidf.stdout)["retriever"] == "tfidf"


def test_eval_refuses_unknown_entry_ids(settings, tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text('{"question": "q", "expected": "no_such_entry"}\n')
    result = run(settings, "chatbot", "eval", str(path))
    assert result.exit_code == 2 and "no entry 'no_such_entry'" in result.stderr


def test_calibrate_writes_a_model_that_eval_can_use(settings, tmp_path):
    out = tmp_path / "cal.json"
    result = run(settings, "chatbot", "calibrate", str(LABELLED / "calibration.jsonl"), "--out", str(out))
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    assert len(doc["weights"]) == 6 and 0 < doc["threshold"] < 1
