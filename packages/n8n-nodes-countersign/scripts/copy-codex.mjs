// Puts each node's codex file (`<Node>.node.json`: categories, aliases and
// documentation links) beside its built `<Node>.node.js`, where n8n's loader
// reads it.
import { copyFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let copied = 0;
for (const entry of readdirSync(join(root, "src", "nodes"), { withFileTypes: true })) {
  if (!entry.isDirectory()) continue;
  for (const file of readdirSync(join(root, "src", "nodes", entry.name))) {
    if (!file.endsWith(".node.json")) continue;
    copyFileSync(join(root, "src", "nodes", entry.name, file), join(root, "dist", "nodes", entry.name, file));
    copied += 1;
  }
}
console.log(`copied ${copied} codex file(s)`);
