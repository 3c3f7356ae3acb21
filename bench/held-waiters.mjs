// Held long-polls: server RSS while N agents wait on `GET /v1/pauses/{id}?wait=60`, and
// decision → resume latency for pauses decided while they are all held.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createKey, startCountersign, startListening } from "./processes.mjs";
import { summarize } from "./stats.mjs";

function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : null;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });

function request(url, key, method = "GET", body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      agent,
      headers: { authorization: `Bearer ${key}`, ...(body && { "content-type": "application/json" }) },
    });
    req.once("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => {
        text += chunk;
      });
      response.once("end", () =>
        resolve({ status: response.statusCode, body: text ? JSON.parse(text) : null }),
      );
    });
    req.once("error", reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Opens `count` requests to `pathOf(index)`, in steps so the listen backlog is not what is measured. */
async function holdMany(count, open) {
  const held = [];
  for (let start = 0; start < count; start += 500) {
    for (let index = start; index < Math.min(count, start + 500); index++) held.push(open(index));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Every request is in: the server has answered nothing yet and has every socket open.
  await new Promise((resolve) => setTimeout(resolve, Math.max(3000, count / 2)));
  return held;
}

/** The same number of requests held by a bare node:http server (baseline-hold-server.mjs). */
async function bareNodeHolding(waiters, nodeFlags) {
  const bare = await startListening([
    ...nodeFlags,
    fileURLToPath(new URL("./baseline-hold-server.mjs", import.meta.url)),
  ]);
  try {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = rssMb(bare.pid);
    const held = await holdMany(waiters, (index) =>
      request(`${bare.url}/v1/pauses/pau_${index}?wait=60`, "").catch(() => null),
    );
    const heldRss = rssMb(bare.pid);
    bare.stop();
    await Promise.allSettled(held);
    return {
      rss_idle_mb: Math.round(idle),
      rss_held_mb: Math.round(heldRss),
      kb_per_waiter: Math.round(((heldRss - idle) * 1024) / waiters),
    };
  } finally {
    bare.stop();
  }
}

export async function measureHeldWaiters({ waiters = 10_000, decisions = 100, nodeFlags = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "countersign-bench-"));
  const dataDir = join(dir, "countersign");
  const agentKey = createKey(dataDir, "agent", "owner@example.com");
  const approverKey = createKey(dataDir, "approver", "alice@example.com");
  let server = await startCountersign(dataDir, { nodeFlags });
  try {
    const ids = [];
    for (let start = 0; start < waiters; start += 200) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(200, waiters - start) }, (_, index) =>
          request(`${server.url}/v1/pauses`, agentKey, "POST", {
            agent_id: "bench",
            action: { type: "payment", data: { n: start + index } },
          }),
        ),
      );
      ids.push(...batch.map((response) => response.body.pause_id));
    }
    // The pauses are opened by one process and waited on in a fresh one, as after a restart: the
    // figure is what holding costs, not what the burst of 10,000 creates left resident.
    const burstRss = rssMb(server.pid);
    server.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    server = await startCountersign(dataDir, { nodeFlags });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idleRss = rssMb(server.pid);
    const resumedAt = new Map();
    const hold = (id, attempt = 0) =>
      request(`${server.url}/v1/pauses/${id}?wait=60`, agentKey).then(
        (response) => {
          resumedAt.set(id, performance.now());
          return response;
        },
        // A full listen backlog resets a connection now and then: connect again.
        (error) => (attempt < 5 ? hold(id, attempt + 1) : Promise.reject(error)),
      );
    const held = await holdMany(ids.length, (index) => hold(ids[index]));
    const heldRss = rssMb(server.pid);
    const samples = [];
    for (const id of ids.slice(0, decisions)) {
      // From sending the decision: waiters wake at commit, often before the decision's reply.
      const sentAt = performance.now();
      await request(`${server.url}/v1/pauses/${id}/decision`, approverKey, "POST", { decision: "approve" });
      while (!resumedAt.has(id)) await new Promise((resolve) => setImmediate(resolve));
      samples.push(resumedAt.get(id) - sentAt);
    }
    const latency = summarize(samples);
    server.stop();
    await Promise.allSettled(held);
    const baseline = await bareNodeHolding(waiters, nodeFlags);
    return {
      waiters,
      ...(nodeFlags.length > 0 && { node_flags: nodeFlags.join(" ") }),
      rss_after_opening_them_mb: Math.round(burstRss),
      rss_idle_mb: Math.round(idleRss),
      rss_held_mb: Math.round(heldRss),
      target_rss_held_mb: 256,
      kb_per_waiter: Math.round(((heldRss - idleRss) * 1024) / waiters),
      baseline_bare_node_http: baseline,
      decision_to_resume_while_held: { ...latency, target_p99_ms: 10 },
    };
  } finally {
    server.stop();
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const waiters = Number(process.argv[2] ?? 10_000);
  console.log(JSON.stringify(await measureHeldWaiters({ waiters }), null, 2));
}
