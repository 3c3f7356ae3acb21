import { type FSWatcher, watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { type CompiledPolicy, type Logger, type PolicyHook, policyHook } from "@countersign/core/server";
import { formatPolicyFileIssues, loadPolicyFile, type PolicyFileIssue } from "./policy-file.ts";
import { UsageError } from "./usage-error.ts";

export interface WatchedPolicy {
  hook: PolicyHook;
  current(): CompiledPolicy;
  /** Reads the file again now (what a change on disk triggers). */
  reload(): Promise<void>;
  close(): void;
}

const SETTLE_MS = 100;

/**
 * Loads a policy file and follows changes to it. Swapping is a single
 * reference change, so requests in flight are never dropped or evaluated
 * against half a policy; an invalid new file keeps the old policy and logs
 * why. Watches the directory: editors that save by renaming replace the
 * file, which would end a watch on the file itself.
 */
export async function watchPolicyFile(path: string, log: Logger): Promise<WatchedPolicy> {
  const file = resolve(path);
  const first = await loadPolicyFile(file);
  if (!first.ok)
    throw new UsageError(`--policy ${path} is invalid:\n${formatPolicyFileIssues(file, first.issues)}`);
  let policy = first.policy;
  log.info("policy loaded", describe(file, policy));

  let reading: Promise<void> = Promise.resolve();
  async function reload(): Promise<void> {
    const result = await loadPolicyFile(file);
    if (!result.ok) {
      log.error("policy reload failed; keeping the current policy", {
        file,
        version: policy.version,
        errors: formatPolicyFileIssues(file, result.issues).split("\n"),
        issues: result.issues satisfies PolicyFileIssue[],
      });
      return;
    }
    if (result.policy.version === policy.version) return;
    const previous = policy.version;
    policy = result.policy;
    log.info("policy reloaded", { ...describe(file, policy), previous_version: previous });
  }

  let timer: NodeJS.Timeout | null = null;
  const watcher: FSWatcher = watch(dirname(file), (_event, name) => {
    if (name !== null && name !== basename(file)) return;
    if (timer) clearTimeout(timer);
    // Saves arrive as several events (truncate, write, rename): read once they settle, one read at a time.
    timer = setTimeout(() => {
      timer = null;
      reading = reading.then(reload, reload);
    }, SETTLE_MS);
  });
  watcher.unref();
  watcher.on("error", (error) => log.error("policy watch failed", { file, error: String(error) }));

  return {
    hook: policyHook(() => policy),
    current: () => policy,
    reload: () => {
      reading = reading.then(reload, reload);
      return reading;
    },
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}

function describe(file: string, policy: CompiledPolicy): Record<string, unknown> {
  return { file, version: policy.version, rules: policy.document.rules.map((rule) => rule.name) };
}
