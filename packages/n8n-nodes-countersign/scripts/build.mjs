// Builds the node n8n loads: one CommonJS file per entry (the node and its
// credential), with @countersign/verify bundled in, so the published package
// has no runtime dependency (n8n community nodes may only rely on
// n8n-workflow, which n8n provides). esbuild rather than tsc: tsc would leave
// `require("@countersign/verify")` in dist, which a standalone install cannot
// resolve. Types are checked by `tsc --noEmit` (the typecheck script).
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const ENTRY_POINTS = {
  "nodes/CountersignApproval/CountersignApproval.node":
    "src/nodes/CountersignApproval/CountersignApproval.node.ts",
  "nodes/CountersignTrigger/CountersignTrigger.node":
    "src/nodes/CountersignTrigger/CountersignTrigger.node.ts",
  "credentials/CountersignApi.credentials": "src/credentials/CountersignApi.credentials.ts",
  "credentials/CountersignAdminApi.credentials": "src/credentials/CountersignAdminApi.credentials.ts",
};

/** The esbuild options of the published build, for `outdir` (tests bundle with the same ones). */
export function buildOptions(outdir) {
  return {
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    // The workspace packages from their TypeScript source; the `node` condition
    // picks @countersign/verify's node:crypto path (n8n runs on Node).
    conditions: ["@countersign/source"],
    external: ["n8n-workflow"],
    legalComments: "none",
    logLevel: "warning",
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const outdir = join(root, "dist");
  rmSync(outdir, { recursive: true, force: true });
  await build(buildOptions(outdir));
  await import("./copy-icons.mjs");
  await import("./copy-codex.mjs");
  console.log("built dist/ (CommonJS, @countersign/verify bundled)");
}
