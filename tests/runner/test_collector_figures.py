"""The subject's watch on the garbage collector: cycles made during a call are counted,
including those gc.freeze() hid from the collector, which the figures thaw and find."""

from __future__ import annotations

import gc

from perfcoach.runner import subject


def make_cycles(n: int) -> None:
    """n lists that each hold themselves: garbage only the cycle collector can free."""
    for _ in range(n):
        loop: list[object] = []
        loop.append(loop)


def test_cycles_left_and_cycles_frozen_are_both_counted() -> None:
    collector, before = subject._collector_start()
    make_cycles(50)
    gc.freeze()  # the 50 cycles are garbage already: frozen with everything else
    make_cycles(30)
    figures = subject._collector_figures(before, collector)
    assert gc.get_freeze_count() == 0  # thawed by the figures
    assert figures["hidden"] >= 50
    assert figures["left"] + figures["collected"] >= 30
    assert figures["frozen"] > 0
    assert figures["enabled"] is gc.isenabled()


def test_a_disabled_collector_is_reported_and_its_garbage_still_found() -> None:
    was_enabled = gc.isenabled()
    collector, before = subject._collector_start()
    gc.disable()
    try:
        make_cycles(40)
        collector.append((gc.get_stats(), gc.isenabled(), gc.get_threshold()[0]))
        figures = subject._collector_figures(before, collector)
    finally:
        if was_enabled:
            gc.enable()
    assert figures["enabled"] is False
    assert figures["collections"] == [0, 0, 0]
    assert figures["left"] >= 40
