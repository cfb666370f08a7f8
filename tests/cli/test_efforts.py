"""Efforts through the CLI: goals, checklists, baseline/compare with evidence, and reports."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from typer.testing import CliRunner

from perfcoach.cli.app import app
from perfcoach.store import Efforts, NewAttempt, Store

PY = sys.executable
SLOW = [PY, "-c", "import time; time.sleep(0.2)"]
FAST = [PY, "-c", "pass"]


def invoke(runner: CliRunner, *args: str) -> object:
    return runner.invoke(app, list(args))


def db_file() -> Path:
    return Path(os.environ["PERFCOACH_HOME"]) / "progress.db"


def new_effort(runner: CliRunner, goal: str = "wall < 60s", effort: str = "checkout") -> None:
    result = runner.invoke(app, ["effort", "new", effort, "--goal", goal])
    assert result.exit_code == 0, result.output


def test_effort_new_says_whether_the_goal_is_checked(runner: CliRunner) -> None:
    result = runner.invoke(app, ["effort", "new", "checkout-p95", "--goal", "p95 < 200ms"])
    assert result.exit_code == 0, result.output
    assert "goal checked automatically: p95 of per-run wall time" in result.output
    assert str(db_file()) in result.output
    text = runner.invoke(app, ["effort", "new", "search", "--goal", "halve [search] latency"])
    assert text.exit_code == 0
    assert "halve [search] latency" in text.output and "you judge this one" in text.output
    listing = runner.invoke(app, ["effort", "list"])
    assert listing.exit_code == 0
    assert "checkout-p95" in listing.output and "search" in listing.output


def test_effort_new_refuses_bad_input(runner: CliRunner) -> None:
    for args, message in [
        (["Checkout_P95", "--goal", "x"], "must use only a-z"),
        (["checkout", "--goal", "p95 < 200"], "needs a unit"),
        (["checkout", "--goal", "  "], "--goal must say"),
    ]:
        result = runner.invoke(app, ["effort", "new", *args])
        assert result.exit_code == 2, result.output
        assert message in result.output and "Traceback" not in result.output
    new_effort(runner)
    again = runner.invoke(app, ["effort", "new", "checkout", "--goal", "other"])
    assert again.exit_code == 2 and "already exists" in again.output


def test_unknown_effort_is_a_usage_error_everywhere(runner: CliRunner) -> None:
    for args in (
        ["effort", "show", "nope"],
        ["checklist", "show", "pre", "--effort", "nope"],
        ["checklist", "tick", "pre", "profile", "--effort", "nope"],
        ["checklist", "export", "--effort", "nope"],
        ["baseline", "nope", "--", *FAST],
        ["compare", "nope", "--", *FAST],
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert "unknown effort 'nope'" in result.output


def test_checklists_list_and_tick_with_notes(runner: CliRunner) -> None:
    listing = runner.invoke(app, ["checklist", "list"])
    assert listing.exit_code == 0
    for name in ("pre", "post", "mastery"):
        assert name in listing.output
    new_effort(runner)
    tick = runner.invoke(
        app,
        ["checklist", "tick", "pre", "profile", "--effort", "checkout", "--note", "p95 340ms"],
    )
    assert tick.exit_code == 0, tick.output
    assert "ticked pre/profile for effort checkout" in tick.output
    shown = runner.invoke(app, ["checklist", "show", "pre", "--effort", "checkout"])
    assert "1/8 done" in shown.output
    assert "[x] profile" in shown.output and "note: p95 340ms" in shown.output
    untick = runner.invoke(app, ["checklist", "untick", "pre", "profile", "--effort", "checkout"])
    assert untick.exit_code == 0 and "unticked" in untick.output
    shown = runner.invoke(app, ["checklist", "show", "pre", "--effort", "checkout"])
    assert "0/8 done" in shown.output and "note: p95 340ms" in shown.output


def test_checklist_mistakes_are_usage_errors(runner: CliRunner) -> None:
    new_effort(runner)
    for args, message in [
        (["show", "nope", "--effort", "checkout"], "unknown checklist 'nope' (checklists:"),
        (["tick", "pre", "nope", "--effort", "checkout"], "has no item 'nope' (items:"),
        (["tick", "pre", "profile"], "ticked per effort: add --effort"),
        (["show", "mastery", "--effort", "checkout"], "leave out --effort"),
        (["export", "--effort", "checkout", "--format", "pdf"], "--format must be one of"),
    ]:
        result = runner.invoke(app, ["checklist", *args])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output


def test_baseline_and_compare_attach_evidence(runner: CliRunner) -> None:
    new_effort(runner, goal="wall < 60s")
    early = runner.invoke(app, ["compare", "checkout", "--runs", "2", "--", *FAST])
    assert early.exit_code == 2 and "has no baseline yet" in early.output

    base = runner.invoke(app, ["baseline", "checkout", "--runs", "3", "--", *SLOW])
    assert base.exit_code == 0, base.output
    assert "baseline:" in base.output and "(3 runs)" in base.output
    for figure in ("wall time", "CPU time", "peak RSS"):
        assert figure in base.output
    assert "evidence for: pre/baseline-metrics, pre/document-current" in base.output
    assert "launcher floor, charged to every run: CPU" in base.output

    after = runner.invoke(app, ["compare", "checkout", "--runs", "3", "--", *FAST])
    assert after.exit_code == 0, after.output
    assert "before / after" in after.output and "speedup (wall):" in after.output
    assert "goal: met" in after.output
    assert (
        "evidence for: post/measure-improvements, post/compare-baseline, post/validate-targets"
        in after.output
    )
    with Store.open() as db:
        efforts = Efforts(db)
        [baseline, compare] = efforts.measurements("checkout")
        links = {
            (e.checklist_id, e.item_id, e.measurement_uid) for e in efforts.evidence("checkout")
        }
    assert (baseline.kind, baseline.runs, compare.kind) == ("baseline", 3, "compare")
    assert len(baseline.figures["measured"]["samples"]) == 3
    assert baseline.figures["measured"]["floor"]["peak_rss_kib"] > 0
    assert compare.figures["against"]["uid"] == baseline.uid
    assert compare.figures["goal"]["verdict"] == "met"
    assert ("pre", "baseline-metrics", baseline.uid) in links
    assert ("post", "validate-targets", compare.uid) in links
    post = runner.invoke(app, ["checklist", "show", "post", "--effort", "checkout"])
    assert "3/8 done" in post.output and f"evidence: measurement {compare.uid[:8]}" in post.output
    show = runner.invoke(app, ["effort", "show", "checkout"])
    assert show.exit_code == 0 and baseline.uid[:8] in show.output and "met" in show.output


def test_a_goal_not_met_does_not_validate_targets(runner: CliRunner) -> None:
    new_effort(runner, goal="rss < 1KiB")
    result = runner.invoke(
        app, ["compare", "checkout", "--runs", "2", "--vs", f"{PY} -c pass", "--", *FAST]
    )
    assert result.exit_code == 0, result.output
    assert "goal: not met" in result.output
    assert "median of 2 interleaved before/after pairs" in result.output
    assert "validate-targets" not in result.output
    with Store.open() as db:
        [ab] = Efforts(db).measurements("checkout")
    assert (ab.kind, ab.vs_command) == ("ab", f"{PY} -c pass")


def test_a_failing_or_hanging_command_records_nothing(runner: CliRunner) -> None:
    new_effort(runner)
    failing = runner.invoke(
        app, ["baseline", "checkout", "--", PY, "-c", "import sys; sys.exit(3)"]
    )
    assert failing.exit_code == 1
    assert "exited with status 3; nothing was recorded" in failing.output
    hanging = runner.invoke(
        app,
        ["baseline", "checkout", "--timeout", "1", "--", PY, "-c", "import time; time.sleep(60)"],
    )
    assert hanging.exit_code == 1
    assert "did not finish within --timeout 1s" in hanging.output
    missing = runner.invoke(app, ["baseline", "checkout", "--", "no-such-program-xyz"])
    assert missing.exit_code == 2 and "cannot run 'no-such-program-xyz'" in missing.output
    nothing = runner.invoke(app, ["baseline", "checkout"])
    assert nothing.exit_code == 2
    with Store.open() as db:
        assert Efforts(db).measurements("checkout") == []
        assert Efforts(db).ticks("checkout") == {}


def test_export_in_three_formats(runner: CliRunner, tmp_path: Path) -> None:
    new_effort(runner, goal="wall < 60s")
    note = "<script>alert('x')</script> & more"
    runner.invoke(
        app, ["checklist", "tick", "pre", "profile", "--effort", "checkout", "--note", note]
    )
    assert runner.invoke(app, ["baseline", "checkout", "--runs", "2", "--", *SLOW]).exit_code == 0
    assert runner.invoke(app, ["compare", "checkout", "--runs", "2", "--", *FAST]).exit_code == 0

    written = {}
    for fmt in ("md", "html", "json"):
        target = tmp_path / "out" / f"report.{fmt}"
        result = runner.invoke(
            app, ["checklist", "export", "--effort", "checkout", "--format", fmt, "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {target}" in result.output
        written[fmt] = target.read_text()

    md = written["md"]
    assert md.startswith("# Effort: checkout\n")
    assert "## Before / after" in md and "× faster" in md and "**Speedup (wall):**" in md
    assert "- [x] **Profile the application" in md
    assert "\\<script\\>alert('x')\\</script\\> \\& more" in md  # shown as typed
    assert "<script>" not in md and "&lt;" not in md
    html = written["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html
    document = json.loads(written["json"])
    assert (document["format"], document["format_version"]) == ("perfcoach-effort-report", 1)
    pre = next(c for c in document["checklists"] if c["id"] == "pre")
    profile = next(i for s in pre["sections"] for i in s["items"] if i["id"] == "profile")
    assert profile["note"] == note and profile["by"] == "you"
    assert [m["kind"] for m in document["measurements"]] == ["baseline", "compare"]
    assert document["latest_comparison"] == document["measurements"][1]["uid"]

    stdout = runner.invoke(app, ["checklist", "export", "--effort", "checkout"])
    assert stdout.exit_code == 0 and stdout.output.startswith("# Effort: checkout")


def test_export_to_a_directory_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    new_effort(runner)
    for folder in (str(tmp_path), f"{tmp_path}/reports/"):
        result = runner.invoke(app, ["checklist", "export", "--effort", "checkout", "-o", folder])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert f"{folder} names a folder; give a file name" in " ".join(result.output.split())
    assert not (tmp_path / "reports").exists()  # not a file named like the folder


def test_reports_are_written_with_the_users_umask(runner: CliRunner, tmp_path: Path) -> None:
    """mkstemp makes 0600 files: a report meant for a pull request was unreadable to others."""
    new_effort(runner)
    previous = os.umask(0o022)
    try:
        for command in (
            ["checklist", "export", "--effort", "checkout", "-o", str(tmp_path / "r.md")],
            ["progress", "export", "-o", str(tmp_path / "p.json")],
        ):
            assert runner.invoke(app, command).exit_code == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "r.md").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "p.json").stat().st_mode & 0o777 == 0o644


def test_mastery_ticks_itself_from_lab_results(runner: CliRunner) -> None:
    before = runner.invoke(app, ["checklist", "show", "mastery"])
    assert before.exit_code == 0
    assert "0/2 done" in before.output and "labs to pass: sum-lab" in before.output
    with Store.open() as db:
        db.record_attempt(NewAttempt("sum-lab", "pass", {}, 1.0, 1, "h", 0))
    after = runner.invoke(app, ["checklist", "show", "mastery"])
    assert "1/2 done" in after.output and "proven by passing: sum-lab" in after.output
    tick = runner.invoke(
        app, ["checklist", "tick", "mastery", "mentoring", "--note", "ran a profiling workshop"]
    )
    assert tick.exit_code == 0 and "ticked mastery/mentoring" in tick.output
    assert "2/2 done" in runner.invoke(app, ["checklist", "show", "mastery"]).output


def test_help_documents_the_new_commands(runner: CliRunner) -> None:
    top = runner.invoke(app, ["--help"])
    for name in ("effort", "checklist", "baseline", "compare", "progress"):
        assert name in top.output
    for args in (["baseline", "--help"], ["compare", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "--runs" in result.output and "--timeout" in result.output
    assert "--vs" in runner.invoke(app, ["compare", "--help"]).output


def _recorded(effort_id: str) -> tuple[int, int, int]:
    """Ticks, measurements and evidence links stored for an effort."""
    with Store.open() as db:
        efforts = Efforts(db)
        return (
            len(efforts.ticks(effort_id)),
            len(efforts.measurements(effort_id)),
            len(efforts.evidence(effort_id)),
        )


def test_rename_moves_everything_an_effort_recorded(runner: CliRunner) -> None:
    new_effort(runner)
    runner.invoke(app, ["checklist", "tick", "pre", "profile", "--effort", "checkout"])
    assert runner.invoke(app, ["baseline", "checkout", "--runs", "2", "--", *FAST]).exit_code == 0
    before = _recorded("checkout")
    assert before[1] == 1 and before[2] >= 1

    result = runner.invoke(app, ["effort", "rename", "checkout", "checkout-p95"])

    assert result.exit_code == 0, result.output
    assert "undo with: perfcoach effort rename checkout-p95 checkout" in result.output
    assert _recorded("checkout-p95") == before
    assert _recorded("checkout") == (0, 0, 0)
    assert "checkout-p95" in runner.invoke(app, ["effort", "list"]).output
    for bad, message in (("Bad Id", "must use only a-z"), ("x" * 10_000, "at most 64")):
        refused = runner.invoke(app, ["effort", "rename", "checkout-p95", bad])
        assert refused.exit_code == 2 and message in refused.output
    new_effort(runner, effort="other")
    taken = runner.invoke(app, ["effort", "rename", "other", "checkout-p95"])
    assert taken.exit_code == 2 and "already exists" in taken.output
    assert _recorded("checkout-p95") == before


def test_delete_needs_yes_keeps_a_copy_and_import_undoes_it(runner: CliRunner) -> None:
    new_effort(runner)
    runner.invoke(app, ["checklist", "tick", "pre", "profile", "--effort", "checkout"])
    assert runner.invoke(app, ["baseline", "checkout", "--runs", "2", "--", *FAST]).exit_code == 0
    before = _recorded("checkout")

    unconfirmed = runner.invoke(app, ["effort", "delete", "checkout"])
    assert unconfirmed.exit_code == 2 and "--yes" in unconfirmed.output
    assert _recorded("checkout") == before
    unknown = runner.invoke(app, ["effort", "delete", "nope", "--yes"])
    assert unknown.exit_code == 2 and "unknown effort 'nope'" in unknown.output

    done = runner.invoke(app, ["effort", "delete", "checkout", "--yes"])
    assert done.exit_code == 0, done.output
    assert _recorded("checkout") == (0, 0, 0)
    assert "no efforts yet" in runner.invoke(app, ["effort", "list"]).output
    backup = done.output.split("undo with: perfcoach progress import ")[1].strip()
    restored = runner.invoke(app, ["progress", "import", backup])
    assert restored.exit_code == 0, restored.output
    assert _recorded("checkout") == before


def test_an_effort_id_has_a_length_limit(runner: CliRunner) -> None:
    result = runner.invoke(app, ["effort", "new", "a" * 10_000, "--goal", "wall < 1s"])
    assert result.exit_code == 2
    assert "effort id is 10,000 characters; at most 64" in result.output
    assert "no efforts yet" in runner.invoke(app, ["effort", "list"]).output


def test_timeouts_that_never_end_are_usage_errors(runner: CliRunner) -> None:
    new_effort(runner)
    for timeout in ("inf", "nan", "1e9", "0"):
        result = runner.invoke(app, ["baseline", "checkout", "--timeout", timeout, "--", *FAST])
        assert result.exit_code == 2, (timeout, result.output)
        assert "--timeout" in result.output
    with Store.open() as db:
        assert Efforts(db).measurements("checkout") == []


def test_summary_export_is_the_short_markdown_form(runner: CliRunner) -> None:
    new_effort(runner)
    empty = invoke_ok(runner, "checklist", "export", "--effort", "checkout", "--summary")
    assert "Nothing ticked yet." in empty and "No measurements yet." in empty
    assert invoke_ok(runner, "baseline", "checkout", "--runs", "2", "--", *SLOW)
    assert invoke_ok(runner, "compare", "checkout", "--runs", "2", "--", *FAST)
    text = invoke_ok(runner, "checklist", "export", "--effort", "checkout", "--summary")
    assert "- **Verdict:** met" in text and "## Before / after" in text
    assert "(`post/compare-baseline`)" in text and "- [ ]" not in text
    assert f"Python {sys.version.split()[0]} · " in text
    wrong = runner.invoke(
        app, ["checklist", "export", "--effort", "checkout", "--format", "json", "--summary"]
    )
    assert wrong.exit_code == 2
    assert "--summary is a Markdown report: use --format md, not 'json'" in wrong.output


def invoke_ok(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output
