// A webhook receiver for the curl walkthrough: verifies each Standard Webhooks message with the
// server's secret (read with `countersign keys secrets`), prints it, and saves the proof to proof.json.
// Run from the repository root: node examples/curl/webhook-receiver.mjs
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const secrets = JSON.parse(
  execFileSync("npx", ["--yes", "pnpm@10", "--silent", "countersign", "keys", "secrets"], {
    encoding: "utf8",
  }),
);
const verifier = new Webhook(secrets.webhook_secret);

createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => {
    body += chunk;
  });
  request.on("end", () => {
    try {
      const event = verifier.verify(body, request.headers);
      console.log(`verified ${event.type}: pause ${event.data.pause.pause_id} is ${event.data.pause.status}`);
      if (event.data.proof) writeFileSync("proof.json", JSON.stringify(event.data.proof, null, 2));
      response.writeHead(204).end();
    } catch (error) {
      console.error(`refused a webhook: ${error.message}`);
      response.writeHead(401).end();
    }
  });
}).listen(9999, "127.0.0.1", () => console.log("webhook receiver on http://127.0.0.1:9999/hooks"));
