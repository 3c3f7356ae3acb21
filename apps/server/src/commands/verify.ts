import { readFile } from "node:fs/promises";
import { type Action, ActionSchema, isCountersignError, JwkSetSchema, verifyProof } from "@countersign/core";
import type { CliCommand, OptionTable } from "../cli/cli-command.ts";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";

/** Verifies a proof offline. Exit 0 only when it is valid; 1 when it is not; 2 on usage errors. */
const VERIFY_OPTIONS = {
  jwks: { type: "string", value: "KEYS.json", description: "the pinned public keys (countersign keys jwks)" },
  secret: {
    type: "string",
    value: "SECRET",
    description: "the proof secret instead (or COUNTERSIGN_PROOF_SECRET)",
  },
  "pause-id": { type: "string", value: "ID", description: "the pause the proof must be for" },
  action: { type: "string", value: "ACTION.json", description: "the action the proof must be for" },
  "action-digest": { type: "string", value: "sha256:…", description: "or the action's digest" },
  "any-pause": {
    type: "boolean",
    description: "skip the binding to a pause and action: check only that the proof is authentic",
  },
  require: {
    type: "string",
    value: "approved|decided",
    description: "what the proof must say (default approved)",
  },
} as const satisfies OptionTable;

/** `countersign verify PROOF.json …`. */
export const verifyCommand: CliCommand = {
  name: "verify",
  summary: "Verify a decision proof offline (exit 0 only when it is valid)",
  description:
    "Checks the signature with pinned keys (--jwks) or the proof secret, that it is for this pause and action, unexpired, and approved (or decided, with --require decided).",
  arguments: [{ name: "PROOF.json", description: "the proof", required: true }],
  options: VERIFY_OPTIONS,
  run: runVerify,
};

export async function runVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, VERIFY_OPTIONS);
  const file = positionals[0];
  if (!file) throw new UsageError("verify needs a proof file");
  const secret = values.secret ?? process.env.COUNTERSIGN_PROOF_SECRET;
  if (!secret && !values.jwks) throw new UsageError("give --secret or --jwks");
  if (values.require && values.require !== "approved" && values.require !== "decided") {
    throw new UsageError("--require must be approved or decided");
  }
  // A valid proof of some other pause proves nothing about this one: bind it, or say so.
  const bound =
    values["pause-id"] !== undefined &&
    (values.action !== undefined || values["action-digest"] !== undefined);
  if (!bound && !values["any-pause"]) {
    throw new UsageError(
      "say which action the proof must be for: --pause-id ID and --action ACTION.json (or --action-digest sha256:…); --any-pause checks only that the proof is authentic",
    );
  }
  if (values.action !== undefined && values["action-digest"] !== undefined) {
    throw new UsageError("give --action or --action-digest, not both");
  }
  const proof = await readJson(file, "proof");
  const keys = values.jwks ? JwkSetSchema.parse(await readJson(values.jwks, "--jwks")) : undefined;
  const action: Action | undefined = values.action
    ? ActionSchema.parse(await readJson(values.action, "--action"))
    : undefined;
  try {
    const verified = await verifyProof(proof, {
      ...(secret && { secret }),
      ...(keys && { keys }),
      ...(values["pause-id"] && { pauseId: values["pause-id"] }),
      ...(action && { action }),
      ...(values["action-digest"] && { actionDigest: values["action-digest"] }),
      require: (values.require as "approved" | "decided" | undefined) ?? "approved",
    });
    const { proof: checked } = verified;
    process.stdout.write(
      `${JSON.stringify({ valid: true, decision: checked.decision, pause_id: checked.pause_id, decided_by: checked.decided_by, verified_with: verified.verifiedWith })}\n`,
    );
    return 0;
  } catch (error) {
    if (!isCountersignError(error)) throw error;
    process.stdout.write(`${JSON.stringify({ valid: false, code: error.code, message: error.message })}\n`);
    return 1;
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  try {
    // "Proof" files come from anywhere: parsed here, validated by the schema in verifyProof.
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new UsageError(
      `${what}: cannot read JSON from ${path}: ${error instanceof Error ? error.message : error}`,
    );
  }
}
