# The two README commands, `make demo` and `make test`, and their helpers.
# The work is done by scripts/stack.sh; see its header for what each step does.
# Variables: VENV (default .venv in this directory), PYTEST_ARGS (for `make test`).

STACK := scripts/stack.sh
export VENV PYTEST_ARGS

.PHONY: demo test stop setup test-env help

## demo: install what is missing, set up CKAN with the NODC 2024 catalogue and run it at http://127.0.0.1:5000
demo:
	@$(STACK) demo

## test: same set-up with the test database, then pytest (make test PYTEST_ARGS='-k khmer')
test:
	@$(STACK) test

## stop: stop the CKAN server and the Redis this stack started (PostgreSQL keeps running)
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
