# The only entry points people need. See README.md.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

TAURI := node ui/scripts/tauri.mjs
APP := target/debug/chipwatch-app
UI_MODULES := ui/node_modules/.installed
E2E_MODULES := tests/e2e/node_modules/.installed

.PHONY: help run test deps app lint clippy test-rust test-app test-ui test-e2e bench package package-test bindings clean

help:
	@echo "make run      install what is missing, build, open Chipwatch on your workspace"
	@echo "make test     formatting, lints, Rust tests, UI type check and unit tests, end-to-end tests"
	@echo "make bench    benchmarks with their baselines"
	@echo "make package  release build, .deb and .rpm (app + chipwatch CLI) in target/release/bundle/"
	@echo "make package-test  CI only: install the .deb, start it, check the workspace, remove it"
	@echo "make bindings regenerate ui/src/lib/bindings.ts, vocabulary.ts, commands.ts, docs/VOCABULARY.md and the schema snapshot from the Rust types, words, commands and migrations"

## Everything the build and the tests need: system packages (apt), tauri-driver, Node packages.
deps: $(UI_MODULES) $(E2E_MODULES)
	bash scripts/install-deps.sh

$(UI_MODULES): ui/package-lock.json
	npm ci --prefix ui --no-audit --no-fund
	touch $@

$(E2E_MODULES): tests/e2e/package-lock.json
	npm ci --prefix tests/e2e --no-audit --no-fund
	touch $@

## The desktop app with the frontend embedded (a debug build, as the E2E tests use).
app: deps
	$(TAURI) build --debug --no-bundle

run: app
	NO_AT_BRIDGE=1 $(APP)

test: lint test-rust test-ui clippy test-app test-e2e

lint: deps
	cargo fmt --all --check
	npm --prefix ui run --silent check

test-rust: deps
	cargo test -p chipwatch-core -p chipwatch-cli -p chipwatch-sync

test-ui: deps
	npm --prefix ui test

# Clippy covers the app crate too, whose build needs the frontend in ui/dist.
clippy: app
	cargo clippy --workspace --all-targets -- -D warnings

# The shell's own tests (the generated UI wrappers match the command list); they
# compile the app, whose build needs the frontend in ui/dist.
test-app: app
	cargo test -p chipwatch-app --lib

# The E2E tests also run the CLI (to generate import files).
test-e2e: app
	cargo build -p chipwatch-cli
	npm --prefix tests/e2e test

bench: deps
	cargo bench -p chipwatch-core
	cargo bench -p chipwatch-sync
	bash scripts/bench-open.sh
	bash scripts/bench-footprint.sh

## Release .deb and .rpm with the chipwatch CLI beside the app (no AppImage: its
## bundler downloads tools during the build). The CLI must be built first; the
## .deb is recompressed with xz (10.3 -> 7.4 MiB), the .rpm uses zstd (tauri.conf.json).
package: deps
	cargo build --release -p chipwatch-cli
	$(TAURI) build --bundles deb,rpm
	bash scripts/deb-xz.sh target/release/bundle/deb/*.deb
	@ls -l target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

## Installs the .deb on THIS machine, starts it, removes it: refuses unless root
## and CI or CHIPWATCH_PACKAGE_TEST=1 is set (see scripts/package-test.sh).
package-test:
	bash scripts/package-test.sh

## The UI's types (from crates/core) and command wrappers (from src-tauri/src/command_list.rs),
## and the schema the migrations make (crates/core/schema-snapshot.json, so opening need not run them).
bindings: $(UI_MODULES)
	UPDATE_SCHEMA_SNAPSHOT=1 cargo test -p chipwatch-core --lib schema::tests::the_snapshot
	UPDATE_BINDINGS=1 cargo test -p chipwatch-core --test bindings
	npm --prefix ui run build
	UPDATE_BINDINGS=1 cargo test -p chipwatch-app --lib bindings

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules tests/e2e/artifacts
