export { CountersignError, type CountersignErrorDetails, isCountersignError } from "./countersign-error.ts";
export { ERROR_STATUS, ERROR_TITLES, type ErrorCode } from "./error-codes.ts";
