"""A network large enough to freeze the window is read and checked in the background (jobs.job.is_heavy).

The tests make the shipped model count as large by lowering HEAVY_WORK: the largest network the Train form
allows takes seconds a set, and the window's thread must keep painting meanwhile."""

from dnngui.jobs import job as job_module
from tests.support.window import draw


def test_evaluate_reads_a_large_network_in_the_background_and_shows_the_same(window, qtbot, monkeypatch):
    view = window.evaluation_view
    window.side_tabs.setCurrentWidget(view)
    view.evaluate_button.click()
    at_once = (view.accuracy.text(), view.counts.copy())
    monkeypatch.setattr(job_module, "HEAVY_WORK", 0)
    view.clear()
    view.evaluate_button.click()
    assert view.job is not None and not view.evaluate_button.isEnabled() and "Reading" in view.accuracy.text()
    with qtbot.waitSignal(view.job.finished, timeout=20000):
        pass
    assert (view.accuracy.text(), view.counts.tolist()) == (at_once[0], at_once[1].tolist())
    assert view.evaluate_button.isEnabled() and view.gallery.count() > 0


def test_a_reading_that_returns_after_the_model_changed_shows_nothing_stale(window, qtbot, monkeypatch):
    view = window.evaluation_view
    monkeypatch.setattr(job_module, "HEAVY_WORK", 0)
    view.evaluate_button.click()
    job = view.job
    window.files.zero_one_action.trigger()  # another model while the digits are read
    with qtbot.waitSignal(job.finished, timeout=20000):
        pass
    assert view.counts is None and view.gallery.count() == 0


def test_check_model_of_a_large_network_runs_in_the_background(window, qtbot, monkeypatch):
    view = window.health_view
    window.side_tabs.setCurrentWidget(view)
    monkeypatch.setattr(job_module, "HEAVY_WORK", 0)
    view.check_button.click()
    assert view.job is not None and not view.check_button.isEnabled() and "Checking" in view.status.text()
    with qtbot.waitSignal(view.job.finished, timeout=20000):
        pass
    assert "The current model, on" in view.status.text() and view.check_button.isEnabled()
    assert len(view.grad_rms) == window.state.network.depth


def test_closing_during_a_background_reading_waits_for_it(window, qtbot, monkeypatch, dialogs):
    monkeypatch.setattr(job_module, "HEAVY_WORK", 0)
    window.evaluation_view.evaluate_button.click()
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert not job_module.running_jobs()


def test_a_step_of_a_large_network_is_taken_in_the_background_and_shown_as_at_once(window, qtbot, monkeypatch):
    view = window.step_view
    window.side_tabs.setCurrentWidget(view)
    draw(qtbot, window.canvas, [(14.0, 5.0 + i * 0.5) for i in range(37)])  # a one, in canvas cells
    at_once = view.teach_one_step()
    view.undo_steps()
    monkeypatch.setattr(job_module, "HEAVY_WORK", 0)
    assert view.teach_one_step() is None  # under way
    assert view.job is not None and not view.step_button.isEnabled() and "Taking one step" in view.status.text()
    with qtbot.waitSignal(view.job.finished, timeout=20000):
        pass
    assert view.steps == 1 and view.network is not None and view.step_button.isEnabled()
    assert view.record.after.tolist() == at_once.after.tolist() and view.record.cost == at_once.cost
