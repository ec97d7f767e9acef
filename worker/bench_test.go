//go:build !(js && wasm)

package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestBenchWorker measures what a quote request costs the Worker in CPU
// under `wrangler dev --local` (make bench-worker): the CPU time of the
// workerd processes, read from /proc before and after, divided by the
// requests sent one after the other. Cloudflare's free plan allows 10 ms
// of CPU a request. It reports a request that fails validation (decode and
// checks) and an accepted one (decode, checks, re-assessment, the
// composition of both mails, the queue, the KV, and the consumer's second
// composition and sending of its two mails).
func TestBenchWorker(t *testing.T) {
	if os.Getenv("KMOPSITE_BENCH_WORKER") == "" {
		t.Skip("make bench-worker runs it")
	}
	wrangler, err := filepath.Abs(filepath.Join("node_modules", ".bin", "wrangler"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(wrangler); err != nil {
		t.Skip("wrangler is not installed: run `npm ci` in worker/")
	}
	stub := &stubMailgun{got: map[string][][]byte{}, arrived: make(chan struct{}, 1024)}
	stub.refused = 1 // no refusal: every mail goes at once
	api := httptest.NewServer(stub)
	defer api.Close()
	started := time.Now()
	// No cap on the confirmations: each accepted request sends two mails.
	base, _, pgid := startWrangler(t, wrangler, api.URL, "CONFIRM_PER_HOUR:1000000", "CONFIRM_PER_ADDRESS:1000000")
	t.Logf("wrangler dev answered %s after it started (building the Worker included)", time.Since(started).Round(100*time.Millisecond))

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
	measure := func(what, path string, count int, body func(i int) []byte, want int, settle func()) {
		cpu0 := workerdCPU(t, pgid)
		var walls []time.Duration
		for i := range count {
			status, wall := post(path, body(i))
			if status != want {
				t.Fatalf("%s %d: %d, want %d", what, i, status, want)
			}
			walls = append(walls, wall)
		}
		if settle != nil {
			settle()
		}
		cpu := workerdCPU(t, pgid) - cpu0
		slices.Sort(walls)
		t.Logf("%s: %d requests, CPU %.2f ms a request (workerd), wall p50 %s, p99 %s", what, count,
			float64(cpu.Microseconds())/1000/float64(count), walls[count/2].Round(10*time.Microsecond),
			walls[count*99/100].Round(10*time.Microsecond))
	}
	// The isolate's first request decodes the words: its own figure.
	measure("first request", "/api/quote", 1, func(int) []byte { return invalid }, http.StatusBadRequest, nil)
	// What wrangler's local proxy and the Go runtime cost around any
	// answer: a 404 that reads nothing.
	measure("baseline: a 404 (no decoding)", "/nope", 200, func(int) []byte { return invalid }, http.StatusNotFound, nil)
	measure("invalid request (400)", "/api/quote", 200, func(int) []byte { return invalid }, http.StatusBadRequest, nil)
	const accepted = 100
	measure("accepted request (202) with its two mails", "/api/quote", accepted,
		func(i int) []byte { return requestBody(fmt.Sprintf("bench%d@formations.example", i)) }, http.StatusAccepted,
		func() {
			deadline := time.After(2 * time.Minute)
			for stub.count() < 2*accepted {
				select {
				case <-stub.arrived:
				case <-time.After(time.Second):
				case <-deadline:
					t.Fatalf("%d of %d mails arrived", stub.count(), 2*accepted)
				}
			}
			time.Sleep(time.Second) // the consumer's acknowledgements
		})
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
