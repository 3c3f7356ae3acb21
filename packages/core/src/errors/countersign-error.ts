// The one error class lives in @countersign/verify (zero dependencies, so the
// n8n node, the inbox and payment services share it); core re-exports it.
export { CountersignError, type CountersignErrorDetails, isCountersignError } from "@countersign/verify";
