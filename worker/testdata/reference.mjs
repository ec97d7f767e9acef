// The bench's reference (bench_test.go, make bench-worker): a Worker in
// JavaScript that makes the calls the Go Worker makes to its bindings for
// the same requests, and nothing else: no Go, no decoding beyond
// JSON.parse, no assessment, no composition. Under wrangler dev the KV
// namespace, the queue and the rate limit are simulated by workers in the
// same workerd process, so their CPU counts in workerd's; this Worker
// measures that share, and what the Go Worker spends beyond it is its own.
//
// Per request, as the Go Worker: a 404 calls nothing; a quote request
// asks the rate limit, then reads the body; an accepted one reads and
// writes the two confirmation counts (caps) and puts two messages on the
// queue, each with the request's record. The consumer posts each
// message to the mail API as a multipart form and acknowledges it.
const json = { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" };

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname !== "/api/quote") {
      return new Response('{"errors":[{"field":"path","code":"not_found"}]}\n', { status: 404, headers: json });
    }
    await env.QUOTE_LIMITER.limit({ key: request.headers.get("cf-connecting-ip") || "unknown" });
    const body = await request.text();
    const req = JSON.parse(body);
    if (!req.consent) {
      return new Response('{"errors":[{"field":"consent","code":"required"}]}\n', { status: 400, headers: json });
    }
    const address = "caps/address/day/" + req.contact.email;
    const site = "caps/site/hour";
    const a = Number(await env.IDEMPOTENCY.get(address));
    const s = Number(await env.IDEMPOTENCY.get(site));
    await env.IDEMPOTENCY.put(address, String(a + 1), { expirationTtl: 172800 });
    await env.IDEMPOTENCY.put(site, String(s + 1), { expirationTtl: 7200 });
    await env.QUOTE_QUEUE.sendBatch([
      { body: '{"message":"audit-body.eml","record":' + body + "}" },
      { body: '{"message":"applicant.eml","record":' + body + "}" },
    ]);
    return new Response('{"id":"KMOP-00000-00000"}\n', { status: 202, headers: json });
  },

  async queue(batch, env) {
    for (const message of batch.messages) {
      const job = JSON.parse(message.body);
      const form = new FormData();
      form.append("to", job.record.contact.email);
      form.append("message", new Blob([message.body], { type: "message/rfc822" }), job.message);
      const res = await fetch(env.MAIL_API_URL.replace(/\/$/, "") + "/v3/" + env.MAIL_DOMAIN + "/messages.mime", {
        method: "POST",
        headers: { authorization: "Basic " + btoa("api:" + env.MAIL_API_KEY) },
        body: form,
      });
      await res.arrayBuffer();
      message.ack();
    }
  },
};
