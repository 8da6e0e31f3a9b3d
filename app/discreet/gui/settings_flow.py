"""Opening the Settings dialog from the window and applying its result.

What the dialog shows (model files' status, what "Automatic" picks, the CPU build)
takes seconds to gather, and applying may wait for a model loading under the
services' lock, so both run as jobs; the dialog itself (`settings_dialog`) only edits.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from discreet.core.settings import TIER_AUTO, TIER_TASKS, Settings
from discreet.gui.settings_dialog import SettingsDialog
from discreet.gui.settings_pages import Thresholds
from discreet.models.install import ModelStatus

if TYPE_CHECKING:
    from discreet.gui.worker import TaskRunner
    from discreet.services import Services


def open_settings(
    services: Services,
    runner: TaskRunner,
    parent: QWidget,
    fail: Callable[[str], None],
    applied: Callable[[], None],
    say: Callable[[str], None],
) -> None:
    """Gather what the dialog shows off the UI thread, then show it over `parent`.

    On OK the new settings are applied by a job, like any work that takes the services'
    lock (a model may be loading under it), and `applied` runs once they are in force;
    `say` reports a model added from the dialog, `fail` any error.
    """
    from discreet.core import offline

    def gather(_: object) -> tuple[list[ModelStatus], dict[str, str], str, str, Thresholds]:
        from discreet.models.install import quick_status
        from discreet.models.llama_runtime import CPU

        default = services.registry.default
        models = [
            quick_status(entry, services.paths, entry.name == default)
            for entry in services.registry.models.values()
            if services.policy.allows(entry.sha256, entry.user_added)
        ]
        automatic = {task: services.tier_model(TIER_AUTO, task).tier for task in TIER_TASKS}
        choice = services.embedder_choice()
        thresholds = services.verdict_thresholds()
        return models, automatic, f"{choice.backend}, {choice.why}", CPU.summary(), thresholds

    def apply(chosen: Settings) -> None:
        runner.submit(
            "Applying settings",
            lambda _: services.update_settings(chosen),
            lambda _: applied(),
            fail,
        )

    def add_model(path: Path) -> None:
        def work(_: object) -> str:
            from discreet.models.user_models import inspect_gguf

            found = inspect_gguf(path)
            services.policy.check_model(found.name, found.sha256, user_added=True)
            return services.registry.add_user_model(found).name

        runner.submit("Adding a model", work, lambda name: say(f"Added model {name}."), fail)

    def show(gathered: tuple[list[ModelStatus], dict[str, str], str, str, Thresholds]) -> None:
        models, automatic, embedder, cpu_build, thresholds = gathered
        paths = services.paths
        locations = {
            "Libraries": paths.libraries,
            "Models": paths.models,
            "Settings": paths.config,
            "Logs": paths.logs,
        }
        dialog = SettingsDialog(
            services.settings,
            services.policy,
            models,
            locations,
            offline.blocked_attempts(),
            parent,
            automatic=automatic,
            embedder=embedder,
            cpu_build=cpu_build,
            thresholds=thresholds,
        )
        dialog.add_model.connect(lambda path: add_model(Path(path)))
        dialog.accepted.connect(lambda: apply(dialog.result_settings()))
        dialog.open()

    runner.submit("Reading model details", gather, show, fail)
