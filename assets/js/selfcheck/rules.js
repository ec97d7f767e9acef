// The rules run only in assess.wasm, compiled from package assess: this
// module loads it and hands out globalThis.kmopAssess. The page never
// decides anything about eligibility itself.
//
// Loading is in two steps, so that a visitor who has not started yet pays
// nothing on the main thread: prepareRules fetches and compiles the module
// (streaming compilation runs off the main thread), loadRules starts the Go
// runtime in it, which takes the main thread for a moment.

let compiling = null;
let loading = null;

// prepareRules fetches and compiles the module once, in the background.
export function prepareRules(url, integrity) {
  compiling ??= compile(url, integrity);
  return compiling;
}

// loadRules resolves to the function kmopAssess(answers) → result
// (domain/rules.md), and rejects when the browser cannot run it.
export function loadRules(url, integrity) {
  loading ??= start(url, integrity);
  return loading;
}

async function compile(url, integrity) {
  if (!url || typeof Go !== "function" || typeof WebAssembly !== "object") {
    throw new Error("the self-check's rules cannot run in this browser");
  }
  const request = () => fetch(url, { integrity, credentials: "same-origin" });
  try {
    return await WebAssembly.compileStreaming(request());
  } catch {
    // A server that does not send application/wasm: read it whole.
    const response = await request();
    if (!response.ok) throw new Error("assess.wasm: HTTP " + response.status);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

async function start(url, integrity) {
  const module = await prepareRules(url, integrity);
  const go = new Go(); // from wasm_exec.js
  const instance = await WebAssembly.instantiate(module, go.importObject);
  go.run(instance); // sets kmopAssess, then waits for calls
  if (typeof globalThis.kmopAssess !== "function") {
    throw new Error("assess.wasm did not set kmopAssess");
  }
  return globalThis.kmopAssess;
}
