// The code → status/title table lives in @countersign/verify, beside the class.
export { ERROR_STATUS, ERROR_TITLES, type ErrorCode } from "@countersign/verify";
