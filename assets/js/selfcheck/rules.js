// The rules run only in assess.wasm, compiled from package assess: this
// module loads it in the background and hands out globalThis.kmopAssess.
// The page never decides anything about eligibility itself.

let loading = null;

// loadRules starts loading the module once; it resolves to the function
// kmopAssess(answers) → result (domain/rules.md), and rejects when the
// browser cannot run it.
export function loadRules(url, integrity) {
  loading ??= start(url, integrity);
  return loading;
}

async function start(url, integrity) {
  if (!url || typeof Go !== "function" || typeof WebAssembly !== "object") {
    throw new Error("the self-check's rules cannot run in this browser");
  }
  const go = new Go(); // from wasm_exec.js
  const request = () => fetch(url, { integrity, credentials: "same-origin" });
  let module;
  try {
    module = await WebAssembly.instantiateStreaming(request(), go.importObject);
  } catch {
    // A server that does not send application/wasm: read it whole.
    const bytes = await (await request()).arrayBuffer();
    module = await WebAssembly.instantiate(bytes, go.importObject);
  }
  go.run(module.instance); // sets kmopAssess, then waits for calls
  if (typeof globalThis.kmopAssess !== "function") {
    throw new Error("assess.wasm did not set kmopAssess");
  }
  return globalThis.kmopAssess;
}
