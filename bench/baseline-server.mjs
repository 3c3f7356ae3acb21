// The baseline for create throughput: bare node:http + node:sqlite doing the same durable insert
// (WAL, synchronous=FULL, one JSON row per request keyed by a time-ordered id, 202 with the row) and nothing else.

import { createServer } from "node:http";
import { DatabaseSync } from "node:sqlite";
import { pauseId } from "./baseline-id.mjs";

const database = new DatabaseSync(process.argv[2]);
database.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
database.exec(
  "CREATE TABLE IF NOT EXISTS pauses (pause_id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at TEXT NOT NULL)",
);
const insert = database.prepare("INSERT INTO pauses (pause_id, body, created_at) VALUES (?, ?, ?)");

const server = createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    const parsed = JSON.parse(body);
    const row = {
      pause_id: pauseId(),
      status: "pending",
      ...parsed,
      created_at: new Date().toISOString(),
    };
    insert.run(row.pause_id, JSON.stringify(row), row.created_at);
    response.writeHead(202, { "content-type": "application/json" }).end(JSON.stringify(row));
  });
});
server.listen(0, "127.0.0.1", () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
