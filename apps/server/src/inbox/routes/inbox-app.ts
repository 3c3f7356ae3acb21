import type { ApprovalServer } from "@countersign/core/server";

/** The approval server's Hono app, which the inbox adds its routes to. */
export type InboxApp = ApprovalServer["app"];
