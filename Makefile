# alertgen: `make generate` regenerates output/, `make test` runs every check CI runs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: generate check test lint fmt typecheck pytest verify golden e2e bench tools docs clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	@touch $(STAMP)

## generate: render every artifact from specs/ into output/
generate: $(STAMP)
	$(BIN)/alertgen generate

## check: fail when output/ differs from what specs/ generate
check: $(STAMP)
	$(BIN)/alertgen generate --check

## tools: promtool and amtool (Debian packages prometheus, prometheus-alertmanager), chromium for the site test
tools:
	@./.ci/install-tools

## test: lint, type-check, the whole test suite, and the real tools on output/
test: $(STAMP) tools lint typecheck pytest verify

## lint: ruff's checks and format check on generator, specs and tests (part of `make test`)
lint: $(STAMP)
	$(BIN)/ruff check generator specs tests
	$(BIN)/ruff format --check generator specs tests

## fmt: format generator, specs and tests, and apply ruff's safe fixes, so `make lint` passes
fmt: $(STAMP)
	$(BIN)/ruff format generator specs tests
	$(BIN)/ruff check --fix generator specs tests

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

## verify: promtool and amtool on the committed output/ (whatever specs/ holds)
verify: $(STAMP) tools
	$(BIN)/alertgen verify --out output

## golden: refresh the golden trees under tests/golden after an intended change
golden: $(STAMP)
	$(BIN)/python -m tests.golden_refresh

## e2e: the end-to-end tests: Prometheus and Alertmanager; two Prometheus, VictoriaMetrics, vmalert
e2e: $(STAMP) tools
	$(BIN)/pytest -q -m e2e

## bench: the 1k / 10k alert benchmark, then alertgen verify at 10k (an hour; BENCH_FLAGS=--no-verify skips it)
bench: $(STAMP) tools
	$(BIN)/python -m tests.bench $(BENCH_FLAGS)

## docs: the runbook site under site/ (not committed): mkdocs-material, Mermaid served with it
docs: $(STAMP)
	$(BIN)/python -m generator.review.site --specs specs --out site --mermaid "$$(./.ci/fetch-mermaid)"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis site test-artifacts
