import type { Hono } from "hono";
import { z } from "zod";
import { CountersignError } from "../../errors/countersign-error.ts";
import type { Identity } from "../../protocol/identity.ts";
import type { IdentityRecord } from "../../store/records.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { checkIdentity, saveIdentity } from "../save-identity.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

/** Approver identities (admin): who may approve, how channels recognise them, their groups. */
export function registerIdentityRoutes(app: Hono, dependencies: RouteDependencies): void {
  const { context } = dependencies;

  app.get("/v1/identities", async (c) => {
    await requireKey(dependencies, c, ["admin"], "list identities");
    const identities = await context.store.listIdentities();
    return c.json({
      object: "list",
      data: identities.map(renderIdentity),
      has_more: false,
      next_cursor: null,
    });
  });

  app.get("/v1/identities/:identity", async (c) => {
    await requireKey(dependencies, c, ["admin"], "read identities");
    const identity = checkIdentity(c.req.param("identity"));
    const record = await context.store.getIdentity(identity);
    if (!record) throw new CountersignError("not_found", `No identity ${identity}`);
    return c.json(renderIdentity(record));
  });

  app.put("/v1/identities/:identity", async (c) => {
    await requireKey(dependencies, c, ["admin"], "manage identities");
    const identity = checkIdentity(c.req.param("identity"));
    const body = await readJsonBody(c.req.raw, z.unknown(), dependencies.maxBodyBytes);
    const { record, created } = await saveIdentity(context.store, identity, body, context.now());
    return c.json(renderIdentity(record), created ? 201 : 200);
  });

  app.delete("/v1/identities/:identity", async (c) => {
    await requireKey(dependencies, c, ["admin"], "manage identities");
    const identity = checkIdentity(c.req.param("identity"));
    if (!(await context.store.deleteIdentity(identity))) {
      throw new CountersignError("not_found", `No identity ${identity}`);
    }
    return c.body(null, 204);
  });
}

export function renderIdentity(record: IdentityRecord): Identity {
  return {
    object: "identity",
    identity: record.identity,
    email: record.email,
    slack_user_id: record.slackUserId,
    teams_user_id: record.teamsUserId ?? null,
    display_name: record.displayName,
    groups: record.groups,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
