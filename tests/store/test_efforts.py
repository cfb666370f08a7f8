"""Efforts in the progress store: ticks, measurements with evidence, export/import/reset."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from perfcoach.errors import UsageError
from perfcoach.store import (
    LEARNER,
    Efforts,
    NewAttempt,
    NewEffort,
    NewMeasurement,
    ProgressFileError,
    Store,
    StoreError,
    UnknownEffort,
    export_progress,
    import_progress,
    read_progress_file,
    reset_progress,
)

_SUMMARY = {"median": 1.0, "low": 0.9, "high": 1.1, "min": 0.8, "max": 1.3, "spread": 0.1}
FIGURES = {  # the shape baseline stores (CommandFigures.to_json)
    "measured": {
        "command": "python bench.py",
        "runs": 1,
        "wall_s": _SUMMARY,
        "cpu_s": _SUMMARY,
        "peak_rss_kib": _SUMMARY,
        "samples": [{"wall_s": 1.0, "cpu_s": 0.9, "peak_rss_kib": 9000}],
    },
    "speedup": None,
    "goal": None,
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "progress.db") as opened:
        yield opened


def _effort(store: Store, effort_id: str = "checkout-p95") -> Efforts:
    efforts = Efforts(store)
    efforts.create(NewEffort(effort_id, "p95 < 200ms", "p95", "<", 0.2))
    return efforts


def _attempt(lab_id: str, verdict: str = "pass") -> NewAttempt:
    return NewAttempt(
        lab_id, verdict, {"calls": {"value": 3, "verdict": verdict}}, 1.0, 7, "abc", 0
    )


def test_effort_round_trip_and_duplicate_id(store: Store) -> None:
    efforts = _effort(store)
    effort = efforts.get("checkout-p95")
    assert (effort.goal, effort.goal_metric, effort.goal_value) == ("p95 < 200ms", "p95", 0.2)
    assert [e.id for e in efforts.all()] == ["checkout-p95"]
    with pytest.raises(UsageError, match="already exists"):
        efforts.create(NewEffort("checkout-p95", "other"))
    with pytest.raises(UnknownEffort, match=r"unknown effort 'nope' \(efforts: checkout-p95"):
        efforts.get("nope")


def test_untick_keeps_the_note_unless_a_new_one_is_given(store: Store) -> None:
    efforts = _effort(store)
    efforts.set_tick("checkout-p95", "pre", "profile", True, "cProfile: 80% in render()")
    tick = efforts.set_tick("checkout-p95", "pre", "profile", False, None)
    assert (tick.ticked, tick.note) == (False, "cProfile: 80% in render()")
    tick = efforts.set_tick("checkout-p95", "pre", "profile", True, "")
    assert (tick.ticked, tick.note) == (True, "")
    assert set(efforts.ticks("checkout-p95")) == {("pre", "profile")}
    assert efforts.ticks(LEARNER) == {}


def test_a_measurement_links_evidence_and_ticks_only_unset_items(store: Store) -> None:
    efforts = _effort(store)
    efforts.set_tick("checkout-p95", "pre", "document-current", False, "not yet: no commit")
    proves = [("pre", "baseline-metrics"), ("pre", "document-current")]
    new = NewMeasurement("checkout-p95", "baseline", "python bench.py", 10, FIGURES)
    measurement = efforts.record_measurement(new, proves, "measured by perfcoach")
    assert efforts.latest_baseline("checkout-p95") == measurement
    assert measurement.figures == FIGURES
    links = efforts.evidence("checkout-p95")
    assert {(e.checklist_id, e.item_id, e.measurement_uid) for e in links} == {
        ("pre", "baseline-metrics", measurement.uid),
        ("pre", "document-current", measurement.uid),
    }
    ticks = efforts.ticks("checkout-p95")
    assert ticks[("pre", "baseline-metrics")].ticked
    assert ticks[("pre", "baseline-metrics")].note == "measured by perfcoach"
    # the user's own untick (and note) wins over the automatic tick
    assert not ticks[("pre", "document-current")].ticked
    assert ticks[("pre", "document-current")].note == "not yet: no commit"


def test_measurements_need_an_existing_effort(store: Store) -> None:
    efforts = Efforts(store)
    new = NewMeasurement("ghost", "baseline", "true", 1, FIGURES)
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        efforts.record_measurement(new, [], "")
    assert efforts.measurements("ghost") == []


def _populate(store: Store) -> None:
    efforts = _effort(store)
    store.record_attempt(_attempt("n-plus-one", "fail"))
    store.record_attempt(_attempt("n-plus-one"))
    store.reveal_hint("n-plus-one", 0)
    store.mark_lesson_read("basic-optimization")
    store.record_solution_view("n-plus-one", gave_up=False)
    efforts.set_tick("checkout-p95", "pre", "profile", True, "<b>flame graph</b>")
    efforts.set_tick(LEARNER, "mastery", "mentoring", True, "ran a workshop")
    new = NewMeasurement("checkout-p95", "baseline", "python bench.py", 10, FIGURES)
    efforts.record_measurement(new, [("pre", "baseline-metrics")], "measured by perfcoach")


def _counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    tables = [
        "attempts", "hints", "lessons_read", "solution_views", "efforts",
        "checklist_ticks", "measurements", "evidence",
    ]  # fmt: skip
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}
    conn.close()
    return counts


def test_export_then_import_twice_into_a_fresh_store_never_duplicates(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as source:
        _populate(source)
        document = export_progress(source)
    text = json.dumps(document)
    assert document["format"] == "perfcoach-progress" and document["format_version"] == 1
    with Store.open(tmp_path / "b.db") as target:
        first = import_progress(target, read_progress_file(text, "me.json"))
        second = import_progress(target, read_progress_file(text, "me.json"))
        attempts = target.attempts("n-plus-one")
        ticks = Efforts(target).ticks("checkout-p95")
    assert first.added["attempts"] == 2 and first.added["measurements"] == 1
    assert sum(second.added.values()) == 0
    assert sum(second.skipped.values()) == sum(first.added.values())
    assert _counts(tmp_path / "a.db") == _counts(tmp_path / "b.db")
    assert {a.uid for a in attempts} == {row["uid"] for row in document["tables"]["attempts"]}
    assert attempts[0].metrics == {"calls": {"value": 3, "verdict": attempts[0].verdict}}
    assert ticks[("pre", "profile")].note == "<b>flame graph</b>"


def test_import_keeps_the_newer_tick(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        _populate(store)
        document = export_progress(store)
    [row] = [r for r in document["tables"]["checklist_ticks"] if r["item_id"] == "profile"]
    row.update(ticked=0, note="older", updated="2000-01-01T00:00:00+00:00")
    with Store.open(tmp_path / "a.db") as store:
        report = import_progress(store, read_progress_file(json.dumps(document), "x"))
        tick = Efforts(store).ticks("checkout-p95")[("pre", "profile")]
    assert report.added["checklist_ticks"] == 0
    assert (tick.ticked, tick.note) == (True, "<b>flame graph</b>")
    row.update(note="newer", updated="2999-01-01T00:00:00+00:00")
    with Store.open(tmp_path / "a.db") as store:
        import_progress(store, read_progress_file(json.dumps(document), "x"))
        tick = Efforts(store).ticks("checkout-p95")[("pre", "profile")]
    assert (tick.ticked, tick.note) == (False, "newer")


def _document(store: Store) -> dict:
    _populate(store)
    return export_progress(store)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a perfcoach progress export"),
        (lambda d: d.update(format_version=2), "format_version 2; this perfcoach reads 1"),
        (lambda d: d.update(tables=[]), "'tables' must be an object"),
        (lambda d: d["tables"].update(secrets=[]), "unknown table 'secrets'"),
        (lambda d: d["tables"]["attempts"][0].pop("uid"), r"attempts\[0\]: missing \['uid'\]"),
        (lambda d: d["tables"]["attempts"][1].update(seed="7"), "seed has the wrong type"),
        (lambda d: d["tables"]["attempts"][0].update(verdict="great"), "unknown verdict"),
        (lambda d: d["tables"]["hints"].append("x"), r"hints\[1\] must be an object"),
    ],
)
def test_a_bad_file_is_refused_before_anything_is_written(
    tmp_path: Path, mutate: object, message: str
) -> None:
    with Store.open(tmp_path / "a.db") as store:
        document = _document(store)
    mutate(document)  # type: ignore[operator]
    with pytest.raises(ProgressFileError, match=message):
        read_progress_file(json.dumps(document), "me.json")


def test_a_measurement_of_a_missing_effort_rolls_the_whole_import_back(tmp_path: Path) -> None:
    with Store.open(tmp_path / "a.db") as store:
        document = _document(store)
    document["tables"]["efforts"] = []
    with Store.open(tmp_path / "b.db") as target:
        tables = read_progress_file(json.dumps(document), "me.json")
        with pytest.raises(ProgressFileError, match="neither in the file nor in this database"):
            import_progress(target, tables)
        assert target.attempts() == []
    assert set(_counts(tmp_path / "b.db").values()) == {0}


def test_not_json_is_refused() -> None:
    with pytest.raises(ProgressFileError, match=r"me\.json is not JSON"):
        read_progress_file("{nope", "me.json")


def test_reset_one_lab_then_everything_keeps_efforts(store: Store) -> None:
    _populate(store)
    store.record_attempt(_attempt("profile-hotspot"))
    deleted = reset_progress(store, "n-plus-one")
    assert deleted == {"attempts": 2, "hints": 1, "solution_views": 1}
    assert [a.lab_id for a in store.attempts()] == ["profile-hotspot"]
    assert store.lessons_read() == {"basic-optimization"}
    deleted = reset_progress(store, None)
    assert deleted["attempts"] == 1 and deleted["lessons_read"] == 1
    assert store.attempts() == [] and store.lessons_read() == set()
    efforts = Efforts(store)
    assert [e.id for e in efforts.all()] == ["checkout-p95"]
    assert len(efforts.measurements("checkout-p95")) == 1
    assert efforts.ticks(LEARNER)[("mastery", "mentoring")].ticked
