import json

from click.testing import CliRunner

from workflows.progress.cli import progress


def test_reconcile_then_sync_then_publish(services, settings, portfolio):
    runner = CliRunner()
    result = runner.invoke(progress, ["reconcile", "--json"], obj=settings)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["projects"], doc["tasks"], doc["written"]) == (3, 6, 3)

    result = runner.invoke(progress, ["sync"], obj=settings)  # first sync: full, nothing to do
    assert result.exit_code == 0 and "0 projects written" in result.stdout
    services.workspace.repo("tasks").update(portfolio.tasks["SDB-4"], {"Status": "Done"})
    result = runner.invoke(progress, ["sync", "--json"], obj=settings)
    assert [u["name"] for u in json.loads(result.stdout)["updates"]] == ["Satu Data Bali"]

    result = runner.invoke(progress, ["publish", "--no-snapshot"], obj=settings)
    assert result.exit_code == 0, result.output
    assert "4 pages:" in result.stdout and "0 projects written" in result.stdout


def test_sync_reconcile_and_snapshot_are_scheduled(services):
    schedule = dict(services.queue.periodic_jobs())
    assert schedule["progress.sync"] == {"minute": "*"}
    assert schedule["progress.reconcile"] == {"minute": "*/15"}
    assert schedule["progress.publish"]["day_of_week"] == "1"
