# kmopsite: `make test` installs what the tests need and runs every test.
SHELL := /bin/bash
GO ?= go

.PHONY: test worker-words deps deps-debian deps-go deps-npm unit site-check build serve bench bench-serve wasm-size audit fmt vet deadcode

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

# go vet twice: for this machine, and for js/wasm over the two programs
# that run there (the browser's assess.wasm, the Worker) and every package
# of ours they link, so that the files built only for js/wasm are vetted.
vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "not gofmt'd:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet $$(GOOS=js GOARCH=wasm $(GO) list -deps ./assess/wasm ./worker | grep -E '^kmopsite(/|$$)')

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

# Lighthouse (mobile) on each language's key pages, axe-core on every page,
# each page's transfer size against audit-budget.json; exit 1 on a miss.
# Slow (minutes); scripts/audit/main.go says how.
audit: deps-debian deps-npm
	$(GO) run ./scripts/audit

# Functions that no program and no test reaches (x/tools' deadcode, at a
# pinned version). It reports; it does not fail.
deadcode:
	$(GO) run golang.org/x/tools/cmd/deadcode@v0.47.0 -test ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
