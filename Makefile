# kmopsite: `make test` installs what the tests need and runs every test.
SHELL := /bin/bash
GO ?= go

.PHONY: test fuzz workflows worker-dry-run deps deps-debian deps-go deps-npm unit site-check build serve bench bench-serve bench-host bench-worker wasm-size audit fmt vet deadcode

test: deps vet workflows unit worker-dry-run site-check

# Everything the tests need, installed from nothing (as root, non-interactive).
deps: deps-debian deps-go deps-npm

deps-npm:
	npm ci --no-audit --no-fund --loglevel=error
	cd worker && npm ci --no-audit --no-fund --loglevel=error

deps-go:
	$(GO) mod download

deps-debian:
	@need=""; for p in chromium brotli hugo hyperfine shellcheck; do \
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

# Every fuzz target of the repository for FUZZTIME each (a minute by
# default). `make test` runs their seed corpora only, as unit tests.
FUZZTIME ?= 1m
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg || exit 1; \
	  done; \
	done

# The workflows of .github/workflows, linted (with shellcheck over their
# scripts); TestWorkflowActionsPinned checks that every action is pinned.
workflows:
	$(GO) run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12 -no-color

# The Worker as `wrangler deploy` would upload it: built, bundled and its
# configuration checked, without an account.
worker-dry-run:
	cd worker && WRANGLER_SEND_METRICS=false npx wrangler deploy --dry-run --outdir build/dry-run

# The real content must build with no error, and, though `check` exits 0 on
# warnings, with no warning either (no missing, stale or unpublished
# translation) in the repository's own content.
site-check:
	@out=$$($(GO) run . check 2>&1); status=$$?; echo "$$out"; \
	[ $$status -eq 0 ] || exit $$status; \
	! grep -q ': warning: ' <<<"$$out" || { echo "site-check: the content has warnings (above)"; exit 1; }

build:
	$(GO) run . build

serve:
	$(GO) run . serve

# Build speed against Hugo on generated corpora (prints figures and ratios;
# adds the run to docs/performance.md and its chart).
bench:
	bash scripts/bench.sh

# Edit-to-page latency of serve against hugo server (median and p95): from
# the file's write to the first HTTP answer that holds the edit.
bench-serve:
	bash scripts/bench-serve.sh

# kmopsite host under load: 200 clients for 60 s, a real SMTP server,
# kill -9 halfway and a restart; every 202 delivered, duplicates counted.
bench-host:
	$(GO) run ./scripts/benchhost

# The Worker's CPU per quote request in workerd (wrangler dev --local).
bench-worker:
	cd worker && npm ci --no-audit --no-fund --loglevel=error
	cd worker && KMOPSITE_BENCH_WORKER=1 $(GO) test -count=1 -run '^TestBenchWorker$$' -v . | grep -E '^(first request|steady|worker bundle|reference|the Go Worker)|bench_test|^(ok|FAIL|---)'

wasm-size:
	bash scripts/wasm-size.sh

# Lighthouse (mobile) on each language's key pages, 5 runs each with gzip and
# 5 without compression (median and worst), axe-core on every page, each
# page's transfer size against audit-budget.json; exit 1 on a miss.
# Slow (many minutes); scripts/audit/main.go says how. A subset:
# make audit AUDIT_FLAGS="-pages '^/nl/zelftest/$$'"
audit: deps-debian deps-npm
	$(GO) run ./scripts/audit $(AUDIT_FLAGS)

# Functions that no program and no test reaches (x/tools' deadcode, at a
# pinned version). It reports; it does not fail.
deadcode:
	$(GO) run golang.org/x/tools/cmd/deadcode@v0.47.0 -test ./...

fmt:
	gofmt -w $$(git ls-files '*.go')
