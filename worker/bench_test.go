//go:build !(js && wasm)

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchWorker measures what a request costs the Worker in CPU under
// `wrangler dev --local` (make bench-worker): the CPU time of the workerd
// processes, read from /proc before and after, divided by the requests
// sent one after the other. Cloudflare's free plan allows 10 ms of CPU a
// request. It prints, one line each:
//
//	first request: CPU X ms                   the isolate's first event: Go starts, the words are decoded
//	steady 404: CPU X ms a request            a path that is not the endpoint
//	steady invalid: CPU X ms a request        a quote request that fails validation
//	steady accepted: CPU X ms a request       an accepted one, with the consumer's two mails
//
// "steady" is after a warm-up of every kind of request (and of the queue's
// consumer), once the runtime has finished compiling: what an isolate that
// has served its first requests spends. The accepted request's figure
// holds all it causes: decode, checks, re-assessment, the rate limit, the
// caps in KV, the queue, and the consumer's composition and sending of
// both mails.
//
// Under wrangler dev, KV, the queue and the rate limit are workers of
// miniflare in the same workerd process: their CPU is in these figures,
// though on Cloudflare it is not the Worker's. So the same requests then
// go to a reference, testdata/reference.mjs, a JavaScript Worker that
// makes the same calls to the same bindings and does nothing else, and
// the last two lines give its figures and the Go Worker's beyond them.
func TestBenchWorker(t *testing.T) {
	if os.Getenv("KMOPSITE_BENCH_WORKER") == "" {
		t.Skip("make bench-worker runs it")
	}
	wrangler := wranglerPath(t)
	var ours, ref figures
	var size int
	t.Run("go", func(t *testing.T) {
		ours, size = benchWorker(t, wrangler, testConfig(t))
	})
	t.Run("reference", func(t *testing.T) {
		ref, _ = benchWorker(t, wrangler, referenceConfig(t))
	})
	if t.Failed() {
		return
	}
	fmt.Printf("worker bundle: %d bytes gzipped (limit 3000000)\n", size)
	fmt.Printf("first request: CPU %.2f ms\n", ours.first)
	fmt.Printf("steady 404: CPU %.2f ms a request\n", ours.notFound)
	fmt.Printf("steady invalid: CPU %.2f ms a request\n", ours.invalid)
	fmt.Printf("steady accepted: CPU %.2f ms a request\n", ours.accepted)
	fmt.Printf("reference (JavaScript, the same binding calls, no Go): 404 %.2f ms, invalid %.2f ms, accepted %.2f ms a request\n",
		ref.notFound, ref.invalid, ref.accepted)
	fmt.Printf("the Go Worker beyond the reference: 404 %.2f ms, invalid %.2f ms, accepted %.2f ms a request\n",
		ours.notFound-ref.notFound, ours.invalid-ref.invalid, ours.accepted-ref.accepted)
}

// figures are a Worker's CPU per request in workerd, in milliseconds.
type figures struct{ first, notFound, invalid, accepted float64 }

// referenceConfig is testConfig with testdata/reference.mjs as the
// Worker, and nothing to build.
func referenceConfig(t *testing.T) string {
	name := testConfig(t)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	main := regexp.MustCompile(`"main":\s*"[^"]*"`)
	build := regexp.MustCompile(`(?m)^\s*"build":\s*\{[^}]*\},?\n`)
	if len(main.FindAll(b, -1)) != 1 || len(build.FindAll(b, -1)) != 1 {
		t.Fatal("wrangler.jsonc's main or build is not where the bench looks")
	}
	b = build.ReplaceAll(main.ReplaceAll(b, []byte(`"main": "./testdata/reference.mjs"`)), nil)
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// benchWorker runs one Worker under wrangler dev and measures it; it
// returns its figures and its gzipped size.
func benchWorker(t *testing.T, wrangler, config string) (figures, int) {
	stub, api := acceptingStub(t)
	started := time.Now()
	// No cap on the confirmations: each accepted request sends two mails.
	base, _, pgid := launchWrangler(t, wrangler, config, api, nil, "CONFIRM_PER_HOUR:1000000", "CONFIRM_PER_ADDRESS:1000000")
	t.Logf("wrangler dev was ready %s after it started (building the Worker included)", time.Since(started).Round(100*time.Millisecond))
	size := logSize(t)
	time.Sleep(3 * time.Second) // let workerd settle after loading the Worker

	client := &http.Client{Timeout: 30 * time.Second}
	n := 0
	post := func(path string, body []byte) (int, time.Duration) {
		n++
		req, _ := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		// One address per request: the test's rate limit is 3 a minute.
		req.Header.Set("CF-Connecting-IP", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
		began := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, time.Since(began)
	}
	invalid := []byte(`{"lang":"nl","consent":false}`)
	mails := 0
	waitMails := func() {
		deadline := time.After(2 * time.Minute)
		for stub.count() < mails {
			select {
			case <-stub.arrived:
			case <-time.After(time.Second):
			case <-deadline:
				t.Fatalf("%d of %d mails arrived", stub.count(), mails)
			}
		}
		time.Sleep(time.Second) // the consumer's acknowledgements
	}
	accepted := func(i int) []byte {
		mails += 2
		return requestBody(fmt.Sprintf("bench%d@formations.example", i))
	}
	run := func(path string, count int, body func(i int) []byte, want int, settle func()) (cpu time.Duration, walls []time.Duration) {
		cpu0 := workerdCPU(t, pgid)
		for i := range count {
			status, wall := post(path, body(i))
			if status != want {
				t.Fatalf("%s %d: %d, want %d", path, i, status, want)
			}
			walls = append(walls, wall)
		}
		if settle != nil {
			settle()
		}
		return workerdCPU(t, pgid) - cpu0, walls
	}
	measure := func(what string, count int, body func(i int) []byte, path string, want int, settle func()) float64 {
		cpu, walls := run(path, count, body, want, settle)
		slices.Sort(walls)
		ms := float64(cpu.Microseconds()) / 1000 / float64(count)
		t.Logf("%s (detail): %.2f ms of CPU, %d requests, wall p50 %s, p99 %s", what, ms, count,
			walls[count/2].Round(10*time.Microsecond), walls[count*99/100].Round(10*time.Microsecond))
		return ms
	}
	constant := func(b []byte) func(int) []byte { return func(int) []byte { return b } }

	var f figures
	// The isolate's first event starts the Go program and decodes the
	// words: its own figure, settled for a second (what it set off in
	// the runtime counts too).
	f.first = measure("first request", 1, constant(invalid), "/api/quote", http.StatusBadRequest, func() { time.Sleep(time.Second) })

	// Warm-up, not counted: every kind of request, the consumer's first
	// batches, and the time the runtime takes to compile what runs hot.
	run("/nope", 100, constant(invalid), http.StatusNotFound, nil)
	run("/api/quote", 100, constant(invalid), http.StatusBadRequest, nil)
	run("/api/quote", 20, func(i int) []byte { return accepted(-1 - i) }, http.StatusAccepted, waitMails)
	time.Sleep(3 * time.Second)

	f.notFound = measure("steady 404", 500, constant(invalid), "/nope", http.StatusNotFound, nil)
	f.invalid = measure("steady invalid", 500, constant(invalid), "/api/quote", http.StatusBadRequest, nil)
	f.accepted = measure("steady accepted", 100, accepted, "/api/quote", http.StatusAccepted, waitMails)
	return f, size
}

// workerdCPU is the CPU time (user and system) of the workerd processes
// in the process group of wrangler.
func workerdCPU(t *testing.T, pgid int) time.Duration {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	found := false
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < 0 || !strings.Contains(s[open+1:close], "workerd") {
			continue
		}
		f := strings.Fields(s[close+2:]) // from the state on: state ppid pgrp … utime(12) stime(13)
		if len(f) < 13 || f[2] != strconv.Itoa(pgid) {
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += u + k
		found = true
	}
	if !found {
		t.Fatal("no workerd process in wrangler's process group")
	}
	return time.Duration(ticks) * time.Second / 100 // USER_HZ is 100 on Linux
}
