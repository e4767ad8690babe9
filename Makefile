# Rebound's two entry points: `make run` and `make test`. Both install what is
# missing first (Debian/Ubuntu packages, Rust, Node packages, tauri-driver).

SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
NPM ?= npm
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)
APP_FEATURES := --features rebound-app/custom-protocol
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := build-essential pkg-config curl file libssl-dev libwebkit2gtk-4.1-dev librsvg2-dev \
	libayatana-appindicator3-dev webkit2gtk-driver xvfb xauth fonts-dejavu-core sqlite3 python3 xdotool
export PATH := $(HOME)/.cargo/bin:$(PATH)

# The steps share one cargo target directory and build on each other: never run
# them side by side, even when MAKEFLAGS asks for -j.
.NOTPARALLEL:

.PHONY: help run test deps system-deps rust-deps node-deps ui lint unit e2e app bench bindings clean

help:
	@echo "make run    build and open the app (first run: a demo workspace)"
	@echo "make test   run every test: format, lints, type checks, unit, integration, end-to-end"
	@echo "make bench  import, demo and live segment count benchmarks (beside sqlite3 and DuckDB)"

run: deps ui
	$(CARGO) run $(APP_FEATURES) --bin rebound-app

test: deps ui lint unit e2e

deps: system-deps rust-deps node-deps

system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; then \
		echo "Installing Node.js 22 (Vite needs 20.19 or newer)"; \
		curl -fsSL https://deb.nodesource.com/setup_22.x | $(SUDO) -E bash - && $(SUDO) apt-get install -y -qq nodejs; \
	fi

rust-deps:
	@command -v cargo >/dev/null || { echo "Installing Rust"; curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c clippy,rustfmt; }
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --locked

node-deps: ui/node_modules/.installed tests/e2e/node_modules/.installed

ui/node_modules/.installed: ui/package-lock.json
	cd ui && $(NPM) ci --no-audit --no-fund
	@touch $@

tests/e2e/node_modules/.installed: tests/e2e/package-lock.json
	cd tests/e2e && $(NPM) ci --no-audit --no-fund
	@touch $@

ui: node-deps
	cd ui && $(NPM) run build

# The domain and the CLI never depend on the window: only the app package may.
SHELL_FREE_CRATES := rebound-money rebound-stats rebound-formats rebound-core rebound-charts \
	rebound-import rebound-demo rebound-experiments rebound-dashboard rebound-segments \
	rebound-creatives rebound-sequences rebound-campaigns rebound-api rebound-cli

lint: ui
	@for c in $(SHELL_FREE_CRATES); do \
		found=$$($(CARGO) tree -p $$c -e normal,build --prefix none --format '{p}' | grep -E '^(tauri|wry|tao|webkit2gtk|javascriptcore)' | cut -d' ' -f1 | sort -u | tr '\n' ' '); \
		if [ -n "$$found" ]; then echo "$$c must not depend on tauri or webkit, but pulls in: $$found"; exit 1; fi; \
	done
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets $(APP_FEATURES) -- -D warnings
	cd ui && $(NPM) run typecheck

unit: ui
	cd ui && $(NPM) test
	$(CARGO) test --workspace $(APP_FEATURES)

app: ui
	$(CARGO) build $(APP_FEATURES) --bin rebound-app

# The real app window under Xvfb, driven through tauri-driver + WebKitWebDriver.
e2e: app
	REBOUND_APP_BINARY=$(TARGET_DIR)/debug/rebound-app xvfb-run -a -s "-screen 0 1440x960x24" \
		node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec tests/e2e/*.test.mjs

bench:
	$(CARGO) bench -p rebound-cli --bench import
	$(CARGO) bench -p rebound-demo --bench demo
	$(CARGO) bench -p rebound-segments --bench live_count

bindings:
	UPDATE_BINDINGS=1 $(CARGO) test -p rebound-api --lib bindings
	UPDATE_BINDINGS=1 $(CARGO) test -p rebound-segments --lib bindings
	UPDATE_BINDINGS=1 $(CARGO) test -p rebound-sequences --lib bindings
	UPDATE_BINDINGS=1 $(CARGO) test -p rebound-creatives --lib bindings
	UPDATE_BINDINGS=1 $(CARGO) test -p rebound-campaigns --lib bindings
	UPDATE_BINDINGS=1 $(CARGO) test -p rebound-api --lib typescript

clean:
	rm -rf ui/dist ui/node_modules tests/e2e/node_modules target
