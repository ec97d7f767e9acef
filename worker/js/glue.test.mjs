// Tests of glue.mjs with stand-ins for the Go program (node --test; run
// by TestGlue in worker_test.go). The real program is tested under
// wrangler dev by TestWorkerInstances.
import { test } from "node:test";
import assert from "node:assert/strict";
import { BODY_LIMIT, Program, Pool, handlers, requestBody, requestHead, toResponse } from "./glue.mjs";

// fakeGo is a stand-in for the Go program: serve(head, body) gives the
// answer [status, head, body] or a promise of it; it may throw (a trap)
// or call died itself. It counts starts and checks that a program never
// has two events at once.
function fakeGo(serve, { failStart = false } = {}) {
  const state = { starts: 0, overlaps: 0, programs: [] };
  state.launch = (context, died) => {
    state.starts++;
    if (failStart) {
      died(new Error("start failed"));
      return;
    }
    const me = { id: state.starts, busy: false, died, context };
    state.programs.push(me);
    const enc = new TextEncoder();
    context.binding.fallback = [500, "content-type: application/json\nx-from: fallback\n", enc.encode('{"fallback":true}')];
    context.binding.fetch = (head, body, respond) => {
      if (me.busy) state.overlaps++;
      me.busy = true;
      Promise.resolve(serve(head, body, me)).then(
        (a) => {
          me.busy = false;
          if (a) respond(a[0], a[1], a[2]);
        },
        (err) => {
          me.busy = false;
          died(err);
        },
      );
    };
    context.binding.handleQueueMessageBatch = async (batch) => {
      await serve("QUEUE\n" + batch.queue + "\n", null, me);
    };
  };
  return state;
}

const enc = new TextEncoder();
const ok = (text) => [200, "content-type: text/plain\n", enc.encode(text)];
const env = {};
const ctx = {};

test("a request's head and an answer cross as text", async () => {
  const req = new Request("https://example.be/api/quote?x=1", {
    method: "POST",
    headers: { "Content-Type": "application/json", "Idempotency-Key": "a, b" },
    body: "{}",
  });
  assert.equal(requestHead(req), "POST\nhttps://example.be/api/quote?x=1\ncontent-type: application/json\nidempotency-key: a, b\n");
  const res = toResponse(302, "Location: /x\nSet-Cookie: a=1\nSet-Cookie: b=2\n", new Uint8Array());
  assert.equal(res.status, 302);
  assert.equal(res.headers.get("location"), "/x");
  assert.deepEqual(res.headers.getSetCookie(), ["a=1", "b=2"]);
  const empty = toResponse(204, "", new Uint8Array());
  assert.equal(empty.status, 204);
  assert.equal(empty.body, null);
});

test("a body is read whole up to the limit, and cut past it", async () => {
  assert.equal(await requestBody(new Request("https://example.be/", { method: "GET" })), null);
  const small = await requestBody(new Request("https://example.be/", { method: "POST", body: "héllo" }));
  assert.equal(new TextDecoder().decode(small), "héllo");
  // A stream has no Content-Length: read chunk by chunk, cut once past
  // the limit (the endpoint sees more than it reads and answers 413).
  const chunk = new Uint8Array(64 << 10).fill(97);
  let sent = 0;
  const stream = new ReadableStream({
    pull(c) {
      sent++;
      c.enqueue(chunk);
      if (sent === 100) c.close();
    },
  });
  const big = await requestBody(new Request("https://example.be/", { method: "POST", body: stream, duplex: "half" }));
  assert.ok(big.length > BODY_LIMIT && big.length <= BODY_LIMIT + chunk.length, `${big.length}`);
  assert.ok(sent < 100, "the stream was read to its end");
});

test("one program serves every event, one at a time", async () => {
  const go = fakeGo(async (head) => ok(head.split("\n")[1]));
  const h = handlers(go.launch);
  for (let i = 0; i < 5; i++) {
    const res = await h.fetch(new Request(`https://example.be/${i}`), env, ctx);
    assert.equal(await res.text(), `https://example.be/${i}`);
  }
  assert.equal(go.starts, 1);
});

test("events that arrive together get programs of their own, up to GO_INSTANCES, then wait", async () => {
  let release;
  const gate = new Promise((r) => (release = r));
  const go = fakeGo(async (head) => {
    await gate;
    return ok(head.split("\n")[1]);
  });
  const h = handlers(go.launch);
  const answers = [];
  for (let i = 0; i < 7; i++) {
    answers.push(h.fetch(new Request(`https://example.be/${i}`), { GO_INSTANCES: "3" }, ctx));
  }
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(go.starts, 3);
  release();
  const texts = await Promise.all(answers.map(async (a) => (await a).text()));
  assert.deepEqual(texts, [0, 1, 2, 3, 4, 5, 6].map((i) => `https://example.be/${i}`));
  assert.equal(go.starts, 3);
  assert.equal(go.overlaps, 0);
});

test("the event's env and ctx are the program's while it serves it", async () => {
  const go = fakeGo(async (head, body, me) => ok(me.context.env.NAME + "/" + me.context.ctx.n));
  const h = handlers(go.launch);
  for (const n of [1, 2]) {
    const res = await h.fetch(new Request("https://example.be/"), { NAME: `env${n}` }, { n });
    assert.equal(await res.text(), `env${n}/${n}`);
  }
});

test("a program that recovered a panic is replaced before the next event", async () => {
  const go = fakeGo(async (head, body, me) => {
    if (head.includes("/panic")) {
      me.context.binding.broken = true;
      return [500, "x-panic: yes\n", enc.encode("500")];
    }
    return ok(String(me.id));
  });
  const h = handlers(go.launch);
  assert.equal(await (await h.fetch(new Request("https://example.be/a"), env, ctx)).text(), "1");
  const res = await h.fetch(new Request("https://example.be/panic"), env, ctx);
  assert.equal(res.status, 500);
  assert.equal(await (await h.fetch(new Request("https://example.be/b"), env, ctx)).text(), "2");
  assert.equal(go.starts, 2);
});

test("a program that stops during an event answers its fallback, and the next event gets a new one", async () => {
  const go = fakeGo(async (head, body, me) => {
    if (head.includes("/exit")) {
      me.died(new Error("exit"));
      return null; // never answers
    }
    if (head.includes("/trap")) {
      throw new Error("RuntimeError: unreachable");
    }
    return ok(String(me.id));
  });
  const h = handlers(go.launch);
  const res = await h.fetch(new Request("https://example.be/exit"), env, ctx);
  assert.equal(res.status, 500);
  assert.equal(res.headers.get("x-from"), "fallback");
  assert.equal(await res.text(), '{"fallback":true}');
  assert.equal(await (await h.fetch(new Request("https://example.be/a"), env, ctx)).text(), "2");
  const trapped = await h.fetch(new Request("https://example.be/trap"), env, ctx);
  assert.equal(trapped.status, 500);
  assert.equal(await (await h.fetch(new Request("https://example.be/b"), env, ctx)).text(), "3");
});

test("a program that stops while idle is not given the next event", async () => {
  const go = fakeGo(async (head, body, me) => ok(String(me.id)));
  const h = handlers(go.launch);
  assert.equal(await (await h.fetch(new Request("https://example.be/a"), env, ctx)).text(), "1");
  go.programs[0].died(new Error("a stray timer's panic"));
  assert.equal(await (await h.fetch(new Request("https://example.be/b"), env, ctx)).text(), "2");
});

test("a program that cannot start answers 500, and the next event tries again", async () => {
  const failing = fakeGo(null, { failStart: true });
  const h = handlers(failing.launch);
  const res = await h.fetch(new Request("https://example.be/"), env, ctx);
  assert.equal(res.status, 500);
  assert.match(await res.text(), /unavailable/);
  await h.fetch(new Request("https://example.be/"), env, ctx);
  assert.equal(failing.starts, 2);
});

test("an answer the runtime refuses is a 500, not a hung request", async () => {
  const go = fakeGo(async () => [200, "bad header name: x\n", enc.encode("x")]);
  const h = handlers(go.launch);
  const res = await h.fetch(new Request("https://example.be/"), env, ctx);
  assert.equal(res.status, 500);
});

test("queue batches go to the same programs; one that dies during a batch throws", async () => {
  const go = fakeGo(async (head, body, me) => {
    if (head.includes("poison")) {
      me.died(new Error("exit"));
      await new Promise(() => {});
    }
    return ok("");
  });
  const h = handlers(go.launch);
  await h.queue({ queue: "kmopsite-quotes" }, env, ctx);
  await assert.rejects(h.queue({ queue: "poison" }, env, ctx));
  await h.queue({ queue: "kmopsite-quotes" }, env, ctx);
  assert.equal(go.starts, 2);
});

test("a pool never starts more than max, also when starts fail", () => {
  let starts = 0;
  const pool = new Pool(() => {
    starts++;
    throw new Error("no");
  }, () => 1);
  return assert.rejects(pool.acquire(env, ctx)).then(() => {
    assert.equal(pool.live, 0);
    assert.equal(starts, 1);
  });
});
