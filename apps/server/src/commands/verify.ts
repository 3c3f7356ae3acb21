import { readFile } from "node:fs/promises";
import { type Action, ActionSchema, isCountersignError, JwkSetSchema, verifyProof } from "@countersign/core";
import { parseOptions } from "../parse-options.ts";
import { UsageError } from "../usage-error.ts";

/** Verifies a proof offline. Exit 0 only when it is valid; 1 when it is not; 2 on usage errors. */
export async function runVerify(args: string[]): Promise<number> {
  const { values, positionals } = parseOptions(args, {
    secret: { type: "string" },
    jwks: { type: "string" },
    "pause-id": { type: "string" },
    action: { type: "string" },
    "action-digest": { type: "string" },
    "any-pause": { type: "boolean" },
    require: { type: "string" },
  });
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
