# make setup: install the browser, PDF tools, fonts and axe-core the tests use.
# make test:  setup, then every test (Go units, golden files, browser tests).
.PHONY: setup test

setup:
	scripts/setup

test: setup
	go test ./...
