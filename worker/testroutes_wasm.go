//go:build js && wasm && workertest

package main

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
)

// The routes of TestWorkerInstances (worker_test.go), built in only with
// the tag workertest (KMOPSITE_WORKER_TAGS=workertest sh build.sh):
//
//	/_test/instance  this program's id, drawn at its start, and how many
//	                 requests it has answered: the same id twice is one
//	                 program kept between requests
//	/_test/panic     a panic in the handler: answered 500 by serveEvents
//	/_test/exit      a panic outside any handler, which ends the program
//	                 while the request waits: answered 500 by the glue
func init() {
	var b [8]byte
	rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	served := 0
	testRoutes = map[string]http.HandlerFunc{
		"/_test/instance": func(w http.ResponseWriter, r *http.Request) {
			served++
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"instance":"` + id + `","served":` + strconv.Itoa(served) + "}\n"))
		},
		"/_test/panic": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Half-Written", "yes") // must not reach the client
			panic("a test's panic in a handler of program " + id)
		},
		"/_test/exit": func(w http.ResponseWriter, r *http.Request) {
			go func() { panic("a test's panic outside any handler of program " + id) }()
			select {}
		},
	}
}
