// Package endpointsjson writes the Worker's copy of the built site's
// endpoints' file (worker/endpoints.json, package endpoints): the words
// of the quote mails, the audit body's addresses, the privacy pages, the
// caps and the headers, as `kmopsite build` writes them into public/. A
// Worker cannot read the built site, so `go generate ./worker` builds the
// site in memory and copies the file (gen/); a test in ./worker fails
// when the committed copy is stale.
package endpointsjson

import (
	"context"
	"fmt"

	"kmopsite/build"
	"kmopsite/endpoints"
)

// Generate builds the site in source, without the rules' WebAssembly and
// writing nothing, and returns its endpoints' file. It fails when the
// build has errors: the Worker must not get what the build refuses.
func Generate(source string) ([]byte, error) {
	r := build.Run(context.Background(), build.Options{Source: source, NoWasm: true})
	if !r.OK() {
		return nil, fmt.Errorf("the site has errors:\n%s", r.Diagnostics.Format(20))
	}
	data, ok := r.Files[endpoints.Path]
	if !ok {
		return nil, fmt.Errorf("the build wrote no %s", endpoints.Path)
	}
	return data, nil
}
