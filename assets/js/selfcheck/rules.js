// The rules run only in assess.wasm, compiled from package assess: this
// module loads it and hands out globalThis.kmopAssess. The page never
// decides anything about eligibility itself.
//
// Loading is in two steps, so that a visitor who has not started yet pays
// nothing on the main thread: prepareRules downloads the module at once,
// loadRules compiles it and starts the Go runtime in it, which takes the
// main thread for a moment, when the rules are first needed.

let downloading = null;
let loading = null;

// prepareRules downloads the module once, in the background.
export function prepareRules(url, integrity) {
  downloading ??= download(url, integrity);
  return downloading;
}

// loadRules resolves to the function kmopAssess(answers) → result
// (domain/rules.md), and rejects when the browser cannot run it.
export function loadRules(url, integrity) {
  loading ??= start(url, integrity);
  return loading;
}

async function download(url, integrity) {
  if (!url || typeof Go !== "function" || typeof WebAssembly !== "object") {
    throw new Error("the self-check's rules cannot run in this browser");
  }
  const response = await fetch(url, { integrity, credentials: "same-origin" });
  if (!response.ok) throw new Error("assess.wasm: HTTP " + response.status);
  return response.arrayBuffer();
}

async function start(url, integrity) {
  const bytes = await prepareRules(url, integrity);
  const go = new Go(); // from wasm_exec.js
  const { instance } = await WebAssembly.instantiate(bytes, go.importObject);
  go.run(instance); // sets kmopAssess, then waits for calls
  if (typeof globalThis.kmopAssess !== "function") {
    throw new Error("assess.wasm did not set kmopAssess");
  }
  return globalThis.kmopAssess;
}
