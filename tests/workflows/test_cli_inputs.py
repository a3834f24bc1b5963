"""CLI file inputs have a size cap: an endless file is refused with exit 2, memory stays bounded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from workflows.inputs import MAX_DATA_BYTES, MAX_HTML_BYTES

DEV_ZERO = Path("/dev/zero")


# The child gets 1 GiB of address space, so a regression fails fast instead of eating the machine.
BOUNDED = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
           "from workflows.cli import main; main()")


def spbe(*args, stdin=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTION_", "SPBE_", "REDIS"))}
    return subprocess.run([sys.executable, "-c", BOUNDED, *args], stdin=stdin, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not DEV_ZERO.exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("argv, cap", [
    (["index", "score", "/dev/zero"], "1 MiB"),
    (["index", "whatif", "--levels", "/dev/zero", "--raise", "1=3"], "1 MiB"),
    (["judol", "check", "/dev/zero"], "10 MiB"),
])
def test_endless_file_is_refused_with_exit_2(argv, cap):
    result = spbe(*argv)
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.strip() == f"error: /dev/zero: larger than {cap} (the limit for this input)"


@pytest.mark.skipif(not DEV_ZERO.exists(), reason="needs /dev/zero")
def test_endless_stdin_is_refused_with_exit_2():
    with open(DEV_ZERO, "rb") as zero:
        result = spbe("index", "score", "-", stdin=zero)
    assert result.returncode == 2 and "-: larger than 1 MiB" in result.stderr


def test_inputs_at_the_cap_are_read_and_one_byte_more_is_not(tmp_path):
    from click.testing import CliRunner

    from workflows.judol.cli import judol
    from workflows.spbe_index.cli import index

    at_cap = tmp_path / "levels.json"
    doc = (b'{"framework": "permenpanrb-59-2020", '
           b'"domains": {"D1": 4.60, "D2": 3.70, "D3": 2.82, "D4": 4.57}}')
    at_cap.write_bytes(doc + b" " * (MAX_DATA_BYTES - len(doc)))
    over = tmp_path / "over.json"
    over.write_bytes(at_cap.read_bytes() + b" ")
    runner = CliRunner()
    ok = runner.invoke(index, ["score", str(at_cap), "--json"])
    assert ok.exit_code == 0 and '"index_rounded": 4.07' in ok.stdout
    refused = runner.invoke(index, ["score", str(over)])
    assert refused.exit_code == 2 and "larger than 1 MiB" in refused.output

    page = tmp_path / "page.html"
    page.write_bytes(b"<p>" + b"a" * (MAX_HTML_BYTES - 3))
    assert runner.invoke(judol, ["check", str(page)]).exit_code == 0
    page.write_bytes(page.read_bytes() + b"a")
    assert runner.invoke(judol, ["check", str(page)]).exit_code == 2



@pytest.mark.parametrize("name, value, says", [
    ("CHATBOT_RETRIEVER", "bogus", "CHATBOT_RETRIEVER: Input should be 'auto', 'tfidf' or 'hybrid'"),
    ("SPBE_JOB_LEASE_SECONDS", "abc", "SPBE_JOB_LEASE_SECONDS: Input should be a valid number"),
])
def test_a_bad_setting_is_named_in_one_line_with_exit_2(tmp_path, name, value, says):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTION_", "SPBE_", "REDIS"))}
    env |= {name: value, "SPBE_HOME": str(tmp_path)}
    argv = [sys.executable, "-c", "from workflows.cli import main; main()", "events"]
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.startswith(f"error: bad setting: {says}")
    assert len(result.stderr.strip().splitlines()) == 1 and value not in result.stderr


def test_the_web_app_built_by_a_wsgi_server_names_a_bad_setting_without_its_value(tmp_path, monkeypatch):
    from webapp import create_app
    from workflows.settings import SettingsError

    monkeypatch.setenv("SPBE_HOME", str(tmp_path))
    monkeypatch.setenv("CHATBOT_RETRIEVER", "hunter2-secretish")
    with pytest.raises(SettingsError) as caught:
        create_app()  # as `gunicorn 'webapp:create_app()'` calls it: settings from the environment
    message = str(caught.value)
    assert message == "bad setting: CHATBOT_RETRIEVER: Input should be 'auto', 'tfidf' or 'hybrid'"
    assert "hunter2" not in message and "\n" not in message
