// The Worker's entry (wrangler.jsonc, main: build/worker.mjs). build.sh
// puts it beside glue.mjs, Go's own wasm_exec.js from the Go that
// compiled app.wasm, and app.wasm. glue.mjs keeps one Go program per
// isolate and hands it the events; this file only starts one.
import "./wasm_exec.js";
import wasm from "./app.wasm";
import { handlers } from "./glue.mjs";

// launch starts a Go program with globalThis.context set to context while
// its start runs: github.com/syumai/workers reads it there at init (its
// own glue passes it through a Proxy of globalThis, which is why fetch
// needed binding to the real globalThis). Go runs its init and main up to
// main's wait within go.run's first, synchronous, step.
//
// died hears of an exit (an unrecovered panic) and of a trap, as they
// happen: every call into Go goes through go._resume, which a trap
// leaves by a throw and an exit with go.exited set. Nothing waits on
// go.run's promise, and once the program has started its exit resolves
// nothing: that promise was made during the first event, and resolving
// it from another request's event only makes the runtime warn that it
// cancels the continuations of a finished request. A trap during the
// start leaves no fetch handler, which Program reports, and rejects
// go.run's promise, which the runtime logs.
function launch(context, died) {
  const go = new Go();
  const resume = go._resume.bind(go);
  go._resume = () => {
    try {
      resume();
    } catch (err) {
      died(err);
      throw err;
    }
    if (go.exited) {
      died(new Error("the Go program exited"));
    }
  };
  const instance = new WebAssembly.Instance(wasm, go.importObject);
  globalThis.context = context;
  try {
    go.run(instance);
  } finally {
    delete globalThis.context;
  }
  go._resolveExitPromise = () => {};
  if (go.exited) {
    died(new Error("the Go program exited as it started"));
  }
}

export default handlers(launch);
