import type { IDataObject, IHookFunctions } from "n8n-workflow";
import { NodeApiError } from "n8n-workflow";
import { ADMIN_CREDENTIAL_TYPE, adminRequest, parseAdminCredentials } from "../../shared/admin-api.ts";

/** What the node keeps in the workflow's static data: the endpoint it registered and its signing secret. */
export interface RegisteredEndpoint extends IDataObject {
  endpointId?: string;
  secret?: string;
}

async function credentials(context: IHookFunctions) {
  return parseAdminCredentials(await context.getCredentials(ADMIN_CREDENTIAL_TYPE));
}

const endpointPath = (endpointId: string) => `/v1/webhook-endpoints/${encodeURIComponent(endpointId)}`;

function forget(stored: RegisteredEndpoint): void {
  delete stored.endpointId;
  delete stored.secret;
}

/** True when the endpoint this workflow registered is still there, enabled, and still points at this node's URL. */
export async function endpointExists(context: IHookFunctions): Promise<boolean> {
  const stored = context.getWorkflowStaticData("node") as RegisteredEndpoint;
  if (stored.endpointId === undefined || stored.secret === undefined) return false;
  const endpoint = await adminRequest(
    context,
    await credentials(context),
    "GET",
    endpointPath(stored.endpointId),
    {
      missingOk: true,
    },
  );
  if (endpoint === null) {
    forget(stored);
    return false;
  }
  return endpoint.url === context.getNodeWebhookUrl("default") && endpoint.status === "enabled";
}

/** Registers an endpoint for this node's webhook URL; the secret stays in the workflow's static data. */
export async function createEndpoint(context: IHookFunctions): Promise<boolean> {
  const stored = context.getWorkflowStaticData("node") as RegisteredEndpoint;
  const admin = await credentials(context);
  if (stored.endpointId !== undefined) {
    // A stale registration (another URL, disabled): replace it rather than leave it behind.
    await adminRequest(context, admin, "DELETE", endpointPath(stored.endpointId), { missingOk: true });
    forget(stored);
  }
  const agentId = String(context.getNodeParameter("agentId", "")).trim();
  const actionType = String(context.getNodeParameter("actionType", "")).trim();
  const filter = {
    ...(agentId !== "" && { agent_id: agentId }),
    ...(actionType !== "" && { action_type: actionType }),
  };
  const created = await adminRequest(context, admin, "POST", "/v1/webhook-endpoints", {
    body: {
      url: context.getNodeWebhookUrl("default"),
      events: context.getNodeParameter("events", []) as string[],
      ...(Object.keys(filter).length > 0 && { filter }),
      description: `n8n workflow ${context.getWorkflow().id ?? ""}: ${context.getNode().name}`.slice(0, 500),
    },
  });
  if (typeof created?.endpoint_id !== "string" || typeof created.secret !== "string") {
    throw new NodeApiError(context.getNode(), created ?? {}, {
      message: "Countersign's answer did not carry the endpoint id and secret",
    });
  }
  stored.endpointId = created.endpoint_id;
  stored.secret = created.secret;
  return true;
}

/** Removes the registered endpoint (an endpoint already gone is fine). */
export async function deleteEndpoint(context: IHookFunctions): Promise<boolean> {
  const stored = context.getWorkflowStaticData("node") as RegisteredEndpoint;
  if (stored.endpointId === undefined) return true;
  await adminRequest(context, await credentials(context), "DELETE", endpointPath(stored.endpointId), {
    missingOk: true,
  });
  forget(stored);
  return true;
}
