import type { JwkSet, Pause } from "@countersign/core";
import { useEffect, useState } from "preact/hooks";
import { checkProof, type ProofCheck } from "../lib/check-proof.ts";

/** Checks the decision proof in this browser against the server's public keys, and offers it as a file. */
export function ProofCheckView({ pause }: { pause: Pause }) {
  const proof = pause.proof;
  const [check, setCheck] = useState<ProofCheck | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!proof) return;
    let current = true;
    setCheck(null);
    fetch("/v1/keys")
      .then((response) => {
        if (!response.ok) throw new Error(`keys: ${response.status}`);
        return response.json() as Promise<JwkSet>;
      })
      .then((keys) => checkProof(proof, { pauseId: pause.pause_id, action: pause.action }, keys))
      .catch((): ProofCheck => ({ valid: false, detail: "Could not load the server's public keys." }))
      .then((result) => {
        if (current) setCheck(result);
      });
    return () => {
      current = false;
    };
  }, [proof, pause.pause_id, pause.action, round]);
  if (!proof) return null;
  return (
    <section class="proof" aria-labelledby="proof-heading">
      <h2 id="proof-heading">Proof</h2>
      <p class="proof-check" data-testid="proof-check" aria-live="polite">
        {check === null ? (
          "Checking the signature…"
        ) : (
          <>
            <span class={check.valid ? "valid" : "invalid"}>
              {check.valid ? "Signature valid ✓" : "Signature invalid ✗"}
            </span>
            {check.detail}
          </>
        )}
      </p>
      <dl class="key-values compact">
        <div class="key-value">
          <dt>Proof id</dt>
          <dd>
            <code>{proof.proof_id}</code>
          </dd>
        </div>
        <div class="key-value">
          <dt>Action digest</dt>
          <dd>
            <code class="digest">{proof.action_digest}</code>
          </dd>
        </div>
      </dl>
      <div class="actions">
        <a class="button" href={`/inbox/api/pauses/${encodeURIComponent(pause.pause_id)}/proof`} download>
          Download proof
        </a>
        <button type="button" class="button secondary" onClick={() => setRound((value) => value + 1)}>
          Verify again
        </button>
      </div>
    </section>
  );
}
