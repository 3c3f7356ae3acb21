// The baselines' pause id: time first, then random, like Countersign's own ids (protocol/ids.ts),
// so both sides insert at the right edge of their primary key.
import { randomBytes } from "node:crypto";

export const pauseId = () =>
  `pau_${Date.now().toString(32).padStart(10, "0")}${randomBytes(10).toString("hex").slice(0, 16)}`;
