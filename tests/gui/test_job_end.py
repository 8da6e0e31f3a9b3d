"""A job that ends before anyone listens still ends for the progress panel."""

from __future__ import annotations

import threading


def test_the_progress_panel_hides_for_a_job_that_ended_before_it_was_tracked(qtbot) -> None:
    from discreet.gui.progress_panel import ProgressPanel
    from discreet.gui.worker import Job

    job = Job("Quick", lambda context: 1, threading.Lock())
    job.run()  # over before `track` connects: its `ended` signal reached no one
    assert job.ended
    panel = ProgressPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.track(job, "Quick…")
    assert panel.job is None and panel.isHidden()
