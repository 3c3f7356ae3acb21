import type {
  IHookFunctions,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from "n8n-workflow";
import { NodeConnectionTypes } from "n8n-workflow";
import { createEndpoint, deleteEndpoint, endpointExists } from "./endpoint-registration.ts";
import { receiveEvent } from "./receive-event.ts";
import { triggerProperties } from "./trigger-properties.ts";

// n8n's loader requires the file name to match the exported class name.

/**
 * Starts a workflow on Countersign events. Activating the workflow registers
 * a webhook endpoint on the server (admin credential); deactivating removes
 * it. Every delivery is verified with that endpoint's own secret.
 */
export class CountersignTrigger implements INodeType {
  description: INodeTypeDescription = {
    displayName: "Countersign Trigger",
    name: "countersignTrigger",
    icon: "file:countersign.svg",
    group: ["trigger"],
    version: 1,
    subtitle: '={{ ($parameter["events"] || []).join(", ") }}',
    description: "Start the workflow when a Countersign pause is opened, decided, expires or is executed",
    defaults: { name: "Countersign Trigger" },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: "countersignAdminApi", required: true }],
    webhooks: [{ name: "default", httpMethod: "POST", responseMode: "onReceived", path: "webhook" }],
    properties: triggerProperties,
  };

  webhookMethods = {
    default: {
      async checkExists(this: IHookFunctions): Promise<boolean> {
        return endpointExists(this);
      },
      async create(this: IHookFunctions): Promise<boolean> {
        return createEndpoint(this);
      },
      async delete(this: IHookFunctions): Promise<boolean> {
        return deleteEndpoint(this);
      },
    },
  };

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveEvent(this);
  }
}
