# Discreet: `make run` sets up this machine and starts the app; `make test` sets up the
# same way and runs the whole suite. Both are idempotent: a second run reinstalls nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.discreet-setup
VARIANTS := $(VENV)/share/discreet/cpu-variants/manifest.json
MODELS := $(VENV)/.discreet-models
# System libraries Qt needs even off-screen, Xvfb for screenshots, the packaging and
# signing tools `make installer` and its tests use, and OCR's language data (its hashes
# are pinned in resources/models.toml).
SYSTEM_PACKAGES := libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 \
	libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 xvfb \
	wixl msitools minisign apt-utils debsigs debsig-verify osslsigncode gnupg \
	tesseract-ocr-eng tesseract-ocr-osd cmake
# Build llama.cpp for any x86-64 CPU, not only this one, so installers run elsewhere;
# tools/build_cpu_variants.py then adds its CPU backend for newer instruction sets,
# and the app loads the best one this CPU runs (discreet.models.cpu_dispatch).
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: setup run test test-fast lint bench screenshots installer system-packages clean

# Three steps, each redone only when what it depends on changes, so a kept .venv still
# gets a CPU build or model that a newer checkout adds. The system-package check is
# cheap and runs every time: a newer checkout may need one more.
setup: system-packages $(STAMP) $(VARIANTS) $(MODELS)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(VARIANTS): $(STAMP) tools/build_cpu_variants.py app/discreet/models/cpu_variants.py
	$(BIN)/python tools/build_cpu_variants.py
	@touch $@

$(MODELS): $(STAMP) resources/models.toml
	$(BIN)/discreet models install
	@touch $@

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

run: setup
	$(BIN)/discreet-gui

# Two test processes, whatever the machine: most tests wait on a subprocess, a single-
# threaded import or the disk, so two share two cores well (21 min alone, 17 in two,
# the frozen app's build included). A module's tests stay in one process (loadscope),
# so its fixtures (a built .deb, a started server) are made once.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadscope

test: setup
	QT_QPA_PLATFORM=offscreen $(PYTEST)

# A developer's inner loop: everything but the GUI and the release build (a few
# minutes). `make test`, and CI, still run everything.
test-fast: setup
	$(PYTEST) -m "not gui and not slow"

lint: setup
	$(BIN)/ruff check app tests bench tools installers
	$(BIN)/ruff format --check app tests bench tools installers
	$(BIN)/python -m mypy

BENCHES := llm ingest retrieval search_latency answers verdicts extract review contract_checklist questions classify summaries gui robustness ocr

bench: setup
	@for b in $(BENCHES); do echo "== bench/$$b.py"; $(BIN)/python bench/$$b.py || exit 1; done

# Drives the real app under Xvfb through a session and saves PNGs in screenshots/,
# then a short pass in the dark colour scheme and one at 200%.
screenshots: setup
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python tools/screenshots.py screenshots
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python tools/screenshots.py screenshots --look dark
	QT_SCALE_FACTOR=2 xvfb-run -a -s "-screen 0 3200x2000x24" \
		$(BIN)/python tools/screenshots.py screenshots --look scaled

# Frozen app, signed .deb and apt repository, signed MSI, SHA256SUMS (.asc, .minisig)
# and the SBOM, in dist/. Sizes and timings: dist/installer-report.json.
installer: setup
	$(BIN)/python installers/build.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
