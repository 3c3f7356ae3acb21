import type { Hono } from "hono";
import { CountersignError } from "../../errors/countersign-error.ts";
import type { Identity } from "../../protocol/identity.ts";
import { IdentityInputSchema } from "../../protocol/identity.ts";
import type { IdentityRecord } from "../../store/records.ts";
import { readJsonBody } from "../http/read-json-body.ts";
import { type RouteDependencies, requireKey } from "./route-context.ts";

const IDENTITY_PATTERN = /^[^\s:/]{1,320}$/;

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
    const identity = identityParam(c.req.param("identity"));
    const record = await context.store.getIdentity(identity);
    if (!record) throw new CountersignError("not_found", `No identity ${identity}`);
    return c.json(renderIdentity(record));
  });

  app.put("/v1/identities/:identity", async (c) => {
    await requireKey(dependencies, c, ["admin"], "manage identities");
    const identity = identityParam(c.req.param("identity"));
    const body = await readJsonBody(c.req.raw, IdentityInputSchema, dependencies.maxBodyBytes);
    const slackUserId = body.slack_user_id ?? null;
    if (slackUserId !== null) {
      const holder = await context.store.findIdentityBySlackUser(slackUserId);
      if (holder && holder.identity !== identity) {
        throw new CountersignError(
          "invalid_request",
          `Slack user ${slackUserId} already belongs to ${holder.identity}`,
          {
            errors: [{ path: "slack_user_id", message: `already mapped to ${holder.identity}` }],
          },
        );
      }
    }
    const existing = await context.store.getIdentity(identity);
    const now = context.now().toISOString();
    const record: IdentityRecord = {
      identity,
      email: body.email ?? null,
      slackUserId,
      displayName: body.display_name ?? null,
      groups: [...new Set(body.groups)].sort(),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    };
    await context.store.putIdentity(record);
    return c.json(renderIdentity(record), existing ? 200 : 201);
  });

  app.delete("/v1/identities/:identity", async (c) => {
    await requireKey(dependencies, c, ["admin"], "manage identities");
    const identity = identityParam(c.req.param("identity"));
    if (!(await context.store.deleteIdentity(identity))) {
      throw new CountersignError("not_found", `No identity ${identity}`);
    }
    return c.body(null, 204);
  });
}

function identityParam(value: string): string {
  if (!IDENTITY_PATTERN.test(value)) {
    throw new CountersignError(
      "invalid_request",
      "An identity is 1 to 320 characters, without spaces, ':' or '/'",
      {
        errors: [{ path: "identity", message: "not a valid identity" }],
      },
    );
  }
  return value;
}

export function renderIdentity(record: IdentityRecord): Identity {
  return {
    object: "identity",
    identity: record.identity,
    email: record.email,
    slack_user_id: record.slackUserId,
    display_name: record.displayName,
    groups: record.groups,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
  };
}
