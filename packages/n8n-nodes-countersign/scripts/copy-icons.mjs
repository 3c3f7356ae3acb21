// Puts the icon beside every node and credential file in dist/, where n8n's
// loader resolves `icon: "file:countersign.svg"`.
import { copyFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const icon = join(root, "src", "icons", "countersign.svg");
const targets = [join(root, "dist", "credentials")];
for (const entry of readdirSync(join(root, "dist", "nodes"), { withFileTypes: true })) {
  if (entry.isDirectory()) targets.push(join(root, "dist", "nodes", entry.name));
}
for (const target of targets) copyFileSync(icon, join(target, "countersign.svg"));
console.log(`copied the icon to ${targets.length} folders`);
