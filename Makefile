# The two README commands, `make demo` and `make test`, and their helpers.
# The work is done by scripts/stack.sh; see its header for what each step does.
# Variables: VENV (default .venv in this directory), PYTEST_ARGS (for `make test`);
# for `make demo`: WORKERS and THREADS (gunicorn processes and threads in each,
# default 3 and 4), DEV=1 (CKAN's development server instead of gunicorn).

STACK := scripts/stack.sh
export VENV PYTEST_ARGS
ifdef WORKERS
export ODCONF_WORKERS := $(WORKERS)
endif
ifdef THREADS
export ODCONF_THREADS := $(THREADS)
endif
ifdef DEV
export ODCONF_DEV_SERVER := $(DEV)
endif

.PHONY: demo test stop setup test-env help

## demo: install what is missing, set up CKAN with the NODC 2024 catalogue and serve it with gunicorn at http://127.0.0.1:5000 (DEV=1: ckan run)
demo:
	@$(STACK) demo

## test: same set-up with the test database, then pytest (make test PYTEST_ARGS='-k khmer')
test:
	@$(STACK) test

## stop: stop the CKAN server, the background worker and the Redis this stack started (PostgreSQL keeps running)
stop:
	@$(STACK) stop

## setup: only the environment: apt packages, PostgreSQL role and databases, Redis, venv
setup:
	@$(STACK) setup

## test-env: setup plus the test database schema, without running pytest
test-env:
	@$(STACK) test-env

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)
