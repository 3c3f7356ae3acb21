// The client, for tests. Reached by path while @countersign/core's index does not re-export it yet.

export type { CountersignClient } from "../../../core/src/client/index.ts";
export { createClient } from "../../../core/src/client/index.ts";
