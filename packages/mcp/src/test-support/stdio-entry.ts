// A gateway or approval server in its own process, speaking MCP over stdio, for the tests' SDK clients.
// Usage: node --conditions=@countersign/source stdio-entry.ts gateway|approvals '<options JSON>'
import { startApprovalServer } from "../approvals/start-approval-server.ts";
import { startGateway } from "../gateway/start-gateway.ts";

const [kind, json] = process.argv.slice(2);
try {
  const options = JSON.parse(json ?? "{}");
  const running = kind === "gateway" ? await startGateway(options) : await startApprovalServer(options);
  await running.done;
  process.exit(0);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
