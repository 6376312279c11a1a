# make setup: install the browser, PDF tools, fonts, PostgreSQL and axe-core
#             the tests use (only what is missing).
# make test:  setup, then every test: Go units, golden files, the Postgres
#             store suite against a throwaway server, and the browser tests.
#             -count=1: results are never taken from Go's test cache, because
#             the browser tests depend on things it does not see.
.PHONY: setup test

setup:
	scripts/setup

test: setup
	scripts/with-postgres go test -count=1 ./...
