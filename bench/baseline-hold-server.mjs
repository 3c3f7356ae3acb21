// The bare baseline for held long-polls: node:http answering every request after 60 s, nothing
// else. What holding N open requests costs any Node HTTP server: the room available.
// Usage: node bench/baseline-hold-server.mjs
import http from "node:http";

const server = http.createServer((_request, response) => {
  const timer = setTimeout(() => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end('{"status":"pending"}');
  }, 60_000);
  response.once("close", () => clearTimeout(timer));
});
server.listen(0, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close();
});
