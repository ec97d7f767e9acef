// The rules run only in assess.wasm, compiled from package assess: this
// module loads it and hands out globalThis.kmopAssess. The page never
// decides anything about eligibility itself.
//
// Nothing is fetched at load: the module (2 MB, checked against its
// Subresource Integrity hash, then compiled) costs the main thread a few
// hundred milliseconds on a phone, which a visitor who only reads the page
// should not pay. The page calls loadRules when the rules are needed: on
// the first touch of the form, or at once for a link that holds answers.
// The module is compiled while it downloads, so the rules are usually
// ready before the first answer is sent. Go's wasm_exec.js, which runs it,
// is small and loads with the page: loading it here too would put a second
// round trip before the first result of a shared link.

let loading = null;

// loadRules resolves to the function kmopAssess(answers) → result
// (docs/rules.md), and rejects when the browser cannot run it.
export function loadRules(url, integrity) {
  loading ??= start(url, integrity);
  return loading;
}

async function start(url, integrity) {
  if (!url || typeof Go !== "function" || typeof WebAssembly !== "object") {
    throw new Error("the self-check's rules cannot run in this browser");
  }
  const go = new Go(); // from wasm_exec.js
  const response = await fetch(url, { integrity, credentials: "same-origin" });
  if (!response.ok) throw new Error("assess.wasm: HTTP " + response.status);
  // Streaming compiles while the bytes arrive, off the main thread; it
  // needs the type application/wasm, which a host may not send.
  const streaming =
    typeof WebAssembly.instantiateStreaming === "function" &&
    (response.headers.get("Content-Type") || "").startsWith("application/wasm");
  const { instance } = streaming
    ? await WebAssembly.instantiateStreaming(response, go.importObject)
    : await WebAssembly.instantiate(await response.arrayBuffer(), go.importObject);
  go.run(instance); // sets kmopAssess, then waits for calls
  if (typeof globalThis.kmopAssess !== "function") {
    throw new Error("assess.wasm did not set kmopAssess");
  }
  return globalThis.kmopAssess;
}
