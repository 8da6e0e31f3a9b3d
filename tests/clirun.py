"""Running the `discreet` command as a user would, in a home of its own."""

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args,
    env_home: Path,
    model_dir: Path,
    timeout: int = 300,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
):
    env = dict(
        os.environ, DISCREET_HOME=str(env_home), DISCREET_MODEL_DIR=str(model_dir), **(env or {})
    )
    return subprocess.run(
        [sys.executable, "-m", "discreet", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        input=stdin,
    )
