// Ships the built web inbox inside the `countersign` package (files: inbox-dist), so an installed
// server serves it without the workspace.
import { cpSync, existsSync, rmSync } from "node:fs";

const source = new URL("../../inbox/dist/", import.meta.url);
const target = new URL("../inbox-dist/", import.meta.url);
if (!existsSync(new URL("index.html", source))) {
  console.error("copy-inbox: apps/inbox/dist is missing; build @countersign/inbox first");
  process.exit(1);
}
rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
