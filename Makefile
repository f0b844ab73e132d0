# ccsso — see README.md. Works on a machine with only Node/npm (installs the pinned Bun from the npm
# registry into node_modules) or with only Bun.
SHELL := /bin/bash
BUN ?= $(shell if [ -x node_modules/.bin/bun ]; then echo node_modules/.bin/bun; elif command -v bun >/dev/null 2>&1; then command -v bun; else echo node_modules/.bin/bun; fi)
PREFIX ?= $(HOME)/.local
SRC := $(shell find src -name '*.ts') package.json scripts/build.ts

.PHONY: all deps build dist install test typecheck lint fmt unit e2e interop demo bench clean reader-test platform

all: build

node_modules/.installed: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --loglevel=error; \
	else bun install; fi
	@touch $@

deps: node_modules/.installed

dist/ccsso: node_modules/.installed $(SRC)
	$(BUN) scripts/build.ts --single

build: dist/ccsso

dist: node_modules/.installed
	$(BUN) scripts/build.ts

install: build
	mkdir -p $(PREFIX)/bin
	install -m 0755 dist/ccsso $(PREFIX)/bin/ccsso
	@# git finds these on PATH; the binary serves both by the name it is started with (docs/architecture.md §2).
	@# A git-remote-codecommit that is not a link (e.g. pip's) is left alone, as scripts/install.sh does.
	@for l in git-credential-ccsso git-remote-codecommit; do \
	  if [ -e $(PREFIX)/bin/$$l ] && [ ! -L $(PREFIX)/bin/$$l ]; then echo "left $(PREFIX)/bin/$$l alone (not ccsso's)"; \
	  else ln -sfn ccsso $(PREFIX)/bin/$$l; fi; done
	@echo "installed $(PREFIX)/bin/ccsso — next: ccsso configure sso, ccsso sso login, ccsso setup-git"

typecheck: node_modules/.installed
	$(BUN) node_modules/typescript/bin/tsc --noEmit -p .

# Biome (docs/decisions.md §1.8): `make lint` checks formatting and lint rules, `make fmt` rewrites.
lint: node_modules/.installed
	node_modules/.bin/biome check .

fmt: node_modules/.installed
	node_modules/.bin/biome check --write .

# make test: typecheck + format/lint check + unit, contract and wire tests (fast, no compiled binary needed).
test: typecheck lint
	$(BUN) test test/unit test/contract test/wire

# End-to-end: the compiled binary with real git against the local stand-ins.
# Per-test timeout 60 s: these start compiled binaries, git and stand-in processes; on a loaded 2-core
# machine a start-up can take seconds, and speed is measured by make bench, not by test deadlines.
e2e: build
	$(BUN) test --timeout 60000 test/e2e

# Interop: real AWS clients (botocore, AWS CLI) against ccsso's files and the stand-in.
interop: build
	$(BUN) test --timeout 60000 test/interop

# CONTRIBUTING.md's "How to add a command", followed literally in a temporary copy: the toy command
# must pass make test there and show its help (scripts/reader-test.ts).
reader-test: node_modules/.installed
	$(BUN) scripts/reader-test.ts

demo: build
	$(BUN) scripts/demo.ts

bench: build
	$(BUN) scripts/bench.ts

clean:
	rm -rf dist

dist/ccsso-windows-x64.exe: node_modules/.installed $(SRC)
	$(BUN) scripts/build.ts --target windows-x64

# Windows under Wine: the release's Windows binary against the stand-ins and the Linux binary
# (test/platform/, docs/platforms.md). Needs wine, wine64, mingw-w64 and faketime.
platform: build dist/ccsso-windows-x64.exe
	$(BUN) test test/platform
