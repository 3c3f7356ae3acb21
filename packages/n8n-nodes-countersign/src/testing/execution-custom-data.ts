import type { IWorkflowExecutionCustomData } from "n8n-workflow";

/** The slice of n8n's run execution data that custom data lives in (`resultData.metadata`). */
export interface StoredRunData {
  resultData: { metadata?: Record<string, string> };
  waitTill?: string;
}

const KV_LIMIT = 10;

/**
 * n8n-core's execution custom data (`$execution.customData`, `this.customData`)
 * with its rules: at most ten keys (further keys are dropped, silently outside
 * manual mode), keys of letters, digits and `_`, values kept as strings.
 */
export function executionCustomData(runData: StoredRunData): IWorkflowExecutionCustomData {
  const metadata = () => {
    runData.resultData.metadata ??= {};
    return runData.resultData.metadata;
  };
  const set = (key: string, value: string) => {
    const current = metadata();
    if (!(key in current) && Object.keys(current).length >= KV_LIMIT) return;
    if (key.replace(/[\p{L}\p{N}\p{M}_]/gu, "").length !== 0) {
      throw new Error(`Custom data key can only contain letters, numbers, and underscores (key "${key}")`);
    }
    current[key.slice(0, 50)] = String(value).slice(0, 512);
  };
  return {
    set,
    setAll: (values) => {
      for (const [key, value] of Object.entries(values)) set(key, value);
    },
    get: (key) => metadata()[String(key).slice(0, 50)] as string,
    getAll: () => ({ ...metadata() }),
  };
}
