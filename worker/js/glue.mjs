// The glue between the Workers runtime and the Go program (app.wasm): it
// starts a program once per isolate, at the first event (the runtime
// forbids random numbers and timers at global scope, and Go's start uses
// both), and hands it every later fetch and queue event. worker.mjs, the
// entry, gives it the function that starts Go; this file knows nothing of
// WebAssembly, so that its tests (glue.test.mjs) run it with stand-ins.
//
// One program serves one event at a time. Go runs every goroutine that is
// ready whenever JavaScript calls into it, so two events in one program
// would run each other's code in their own request's context, where the
// runtime cancels what the other request started. A second event that
// arrives while the program is busy gets another program, up to
// GO_INSTANCES (4 unless the Worker's variables say otherwise); past that
// it waits for one to be free (Pool).
//
// A program that panicked (it marks itself broken, events_wasm.go) or
// stopped (an unrecovered panic ends Go; a trap ends the instance) serves
// no other event: the event it was serving gets its 500, and the next one
// starts a fresh program. No state of one request is left for the next
// but what the program keeps on purpose (settings, words, the composer).

// BODY_LIMIT is the most of a request's body that the program is given.
// The quote endpoint reads 32 KiB and answers 413 past that, which it
// still sees: a longer body is cut at BODY_LIMIT plus one chunk.
export const BODY_LIMIT = 1 << 20;

// requestHead writes a request's method, URL and headers as
// parseRequest (events.go) reads them: one a line, "name: value".
export function requestHead(request) {
  let head = request.method + "\n" + request.url + "\n";
  for (const [name, value] of request.headers) {
    head += name + ": " + value + "\n";
  }
  return head;
}

// requestBody reads a request's body, at most BODY_LIMIT and a chunk;
// null when it has none.
export async function requestBody(request) {
  if (request.body === null) {
    return null;
  }
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) <= BODY_LIMIT) {
    return new Uint8Array(await request.arrayBuffer());
  }
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  while (size <= BODY_LIMIT) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  if (size > BODY_LIMIT) {
    reader.cancel().catch(() => {});
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

// Statuses whose Response may have no body.
const NULL_BODY = new Set([101, 204, 205, 304]);

// toResponse makes the Response of the program's answer: its status, its
// headers as recorder.head (events.go) writes them, its body.
export function toResponse(status, head, body) {
  const headers = new Headers();
  let at = 0;
  while (at < head.length) {
    let end = head.indexOf("\n", at);
    if (end < 0) {
      end = head.length;
    }
    const line = head.slice(at, end);
    const colon = line.indexOf(": ");
    if (colon > 0) {
      headers.append(line.slice(0, colon), line.slice(colon + 2));
    }
    at = end + 1;
  }
  return new Response(NULL_BODY.has(status) ? null : body, { status, headers });
}

// noProgram is the answer when no program could be started: the endpoint's
// JSON error, without the headers that only the program knows.
export function noProgram() {
  return new Response('{"errors":[{"field":"body","code":"unavailable"}]}\n', {
    status: 500,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });
}

function reasonOf(reason) {
  return String((reason && reason.stack) || reason);
}

// Program is one Go program. launch(context, died) starts it: it must run
// the program's start (init and main up to main's wait) before it
// returns, with globalThis.context set to context, and call died(reason)
// whenever the program stops, whether it exits or traps. The program puts
// its entry points on context.binding: fetch, handleQueueMessageBatch,
// fallback (the answer to an event it dies during) and broken.
export class Program {
  constructor(launch, env, ctx) {
    this.context = { env, ctx, binding: {} };
    this.broken = ""; // why the program may serve no other event
    this.current = null; // rejects the event being served, when the program dies
    launch(this.context, (reason) => this.died(reason));
    if (!this.broken && typeof this.context.binding.fetch !== "function") {
      this.broken = "the Go program did not register its fetch handler";
    }
    if (this.broken) {
      throw new Error("quote worker: the Go program did not start: " + this.broken);
    }
  }

  died(reason) {
    if (!this.broken) {
      this.broken = reasonOf(reason);
      console.error("quote worker: the Go program stopped (" + this.broken + "); the next event starts a new one");
    }
    if (this.current) {
      this.current(reason);
    }
  }

  // serve runs one event: give(done, fail) hands it to the program, which
  // calls done(value) once it has answered. It returns the value, and
  // throws when the program fails or dies first.
  serve(env, ctx, give) {
    this.context.env = env;
    this.context.ctx = ctx;
    return new Promise((resolve, reject) => {
      this.current = reject;
      try {
        give(resolve, reject);
      } catch (err) {
        this.died(err);
      }
    }).finally(() => {
      this.current = null;
      if (this.context.binding.broken && !this.broken) {
        this.broken = "a panic was recovered";
      }
    });
  }

  // fetch answers a request. When the program dies before it answers,
  // the answer is its fallback: the endpoint's 500 with the site's
  // headers, as the program made it at its start.
  async fetch(request, env, ctx) {
    const head = requestHead(request);
    const body = await requestBody(request);
    try {
      return await this.serve(env, ctx, (done, fail) =>
        this.context.binding.fetch(head, body, (status, h, b) => {
          try {
            done(toResponse(status, h, b));
          } catch (err) {
            fail(err);
          }
        }),
      );
    } catch (err) {
      console.error("quote worker: no answer from the Go program to " + request.method + " " + new URL(request.url).pathname + ": " + reasonOf(err));
      const f = this.context.binding.fallback;
      return f ? toResponse(f[0], f[1], f[2]) : noProgram();
    }
  }

  // queue hands a batch of queue messages to the program's consumer; a
  // program that dies during it throws, so that the batch is retried.
  queue(batch, env, ctx) {
    return this.serve(env, ctx, (done, fail) => this.context.binding.handleQueueMessageBatch(batch).then(done, fail));
  }
}

// Pool keeps the isolate's programs: start(env, ctx) makes one; at most
// max(env) at once, each serving one event at a time.
//
// An event that finds every program busy and the pool full checks again
// every WAIT_MS. It cannot wait for a promise that the event which frees
// a program would resolve: the runtime sees a request waiting on nothing
// of its own as hung and cancels it, and would cancel the continuations
// of a request resolved from another's. A timer is the request's own.
export const WAIT_MS = 5;

export class Pool {
  constructor(start, max) {
    this.start = start;
    this.max = max;
    this.idle = []; // programs free to serve
    this.live = 0; // programs started and not dropped
  }

  async acquire(env, ctx) {
    for (;;) {
      const idle = this.idle.pop();
      if (idle && idle.broken) {
        this.live--; // it stopped while it was idle
        continue;
      }
      if (idle) {
        return idle;
      }
      if (this.live < this.max(env)) {
        this.live++;
        try {
          return this.start(env, ctx);
        } catch (err) {
          this.live--;
          throw err;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_MS));
    }
  }

  release(program) {
    if (program.broken) {
      this.live--;
    } else {
      this.idle.push(program);
    }
  }

  // run serves one event with a program of the pool.
  async run(env, ctx, serve) {
    const program = await this.acquire(env, ctx);
    try {
      return await serve(program);
    } finally {
      this.release(program);
    }
  }
}

// instances reads GO_INSTANCES from the Worker's variables.
export function instances(env) {
  const n = Number(env && env.GO_INSTANCES);
  return Number.isInteger(n) && n > 0 ? n : 4;
}

// handlers are the Worker's fetch and queue handlers over programs that
// launch starts.
export function handlers(launch) {
  const pool = new Pool((env, ctx) => new Program(launch, env, ctx), instances);
  return {
    async fetch(request, env, ctx) {
      let program;
      try {
        program = await pool.acquire(env, ctx);
      } catch (err) {
        console.error(reasonOf(err));
        return noProgram();
      }
      try {
        return await program.fetch(request, env, ctx);
      } finally {
        pool.release(program);
      }
    },
    queue(batch, env, ctx) {
      return pool.run(env, ctx, (program) => program.queue(batch, env, ctx));
    },
  };
}
