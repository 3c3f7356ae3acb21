// The bare baseline for creates on Postgres: node:http + `pg`, one durable INSERT per request of
// the same JSON body, 202 with the id. No auth, no validation, no audit: the room available.
// Usage: node bench/baseline-pg-server.mjs <database-url> [pool size]

import http from "node:http";
import { createRequire } from "node:module";
import { pauseId } from "./baseline-id.mjs";

const pg = createRequire(new URL("../packages/postgres/package.json", import.meta.url))("pg");
const pool = new pg.Pool({ connectionString: process.argv[2], max: Number(process.argv[3] ?? 50) });
await pool.query(
  "CREATE TABLE IF NOT EXISTS bench_pauses (id text PRIMARY KEY, body json NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
);
const server = http.createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8");
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    const id = pauseId();
    pool.query("INSERT INTO bench_pauses (id, body) VALUES ($1, $2)", [id, body]).then(
      () => {
        response.writeHead(202, { "content-type": "application/json" });
        response.end(JSON.stringify({ pause_id: id, status: "pending" }));
      },
      () => {
        response.writeHead(503);
        response.end();
      },
    );
  });
});
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.once("SIGTERM", () => {
  server.close();
  void pool.end();
});
