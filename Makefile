# Two commands: `make run` and `make test`. Both set up what they need and can be run again.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
export UV_PYTHON_DOWNLOADS := never


.PHONY: run test setup system-packages lint format clean bench

run: $(VENV)/.installed node_modules/.installed
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo
	@echo
	@echo "Finsam körs på http://127.0.0.1:$(PORT)/ – logga in med en av demoinloggningarna ovan."
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: system-packages $(VENV)/.installed node_modules/.installed lint
	@scripts/run-tests

setup: system-packages $(VENV)/.installed node_modules/.installed

# The national benchmark (not part of `make test`): a throwaway PostgreSQL with the national
# dataset (its pg_dump cached in bench/.cache), gunicorn and wrk; writes bench/results.md.
# A tiny run: BENCH_ASSOCIATIONS=2 BENCH_YEARS=2 BENCH_SECONDS=2 BENCH_PASSES=1 make bench
bench: system-packages $(VENV)/.installed node_modules/.installed
	scripts/with-postgres $(PY) bench/harness.py

system-packages:
	@scripts/install-system-packages

$(VENV)/.installed: requirements.lock
	test -x $(VENV)/bin/pip || { rm -rf $(VENV); python3 -m venv $(VENV); }
	$(VENV)/bin/pip install --quiet --disable-pip-version-check "$$(grep -E '^uv==' requirements.lock | cut -d' ' -f1)"
	$(VENV)/bin/uv pip sync --quiet --python $(PY) requirements.lock
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerates requirements.lock from pyproject.toml (run after changing dependencies).
lock: $(VENV)/.installed
	$(VENV)/bin/uv pip compile pyproject.toml --group dev --generate-hashes --quiet \
		--python python3 -o requirements.lock

clean:
	rm -rf $(VENV) node_modules staticfiles test-artifacts
