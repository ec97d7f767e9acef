# kmopsite: `make test` installs what the tests need and runs every test.
SHELL := /bin/bash
GO ?= go

.PHONY: test worker-words deps deps-debian deps-go deps-npm unit site-check build serve bench bench-serve wasm-size audit fmt vet

test: deps vet worker-words unit site-check

# The Worker embeds the self-check's and quote form's words: bring its copy
# up to date with content/ (editors change the words, not the copy).
worker-words:
	$(GO) test -count=1 -run '^TestWordsCurrent$$' ./worker -update

# Everything the tests need, installed from nothing (as root, non-interactive).
deps: deps-debian deps-go deps-npm

deps-npm:
	npm ci --no-audit --no-fund --loglevel=error
	cd worker && npm ci --no-audit --no-fund --loglevel=error

deps-go:
	$(GO) mod download

deps-debian:
	@need=""; for p in chromium brotli hugo hyperfine; do \
	  dpkg -s $$p >/dev/null 2>&1 || need="$$need $$p"; done; \
	if [ -n "$$need" ]; then \
	  echo "installing Debian packages:$$need"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$need; \
	fi

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "not gofmt'd:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...

unit:
	$(GO) test -count=1 -timeout 20m ./...

# The real content must build with no error and no missing or stale translation.
site-check:
	$(GO) run . check

build:
	$(GO) run . build

serve:
	$(GO) run . serve

# Build speed against Hugo on generated corpora (prints figures and ratios).
bench:
	bash scripts/bench.sh

# Edit-to-reload latency of serve against hugo server (median and p95).
bench-serve:
	bash scripts/bench-serve.sh

wasm-size:
	bash scripts/wasm-size.sh

# Lighthouse (mobile) on each language's key pages, 5 runs each with gzip and
# 5 without compression (median and worst), axe-core on every page, each
# page's transfer size against audit-budget.json; exit 1 on a miss.
# Slow (many minutes); scripts/audit/main.go says how. A subset:
# make audit AUDIT_FLAGS="-pages '^/nl/zelftest/$$'"
audit: deps-debian deps-npm
	$(GO) run ./scripts/audit $(AUDIT_FLAGS)

fmt:
	gofmt -w $$(git ls-files '*.go')
