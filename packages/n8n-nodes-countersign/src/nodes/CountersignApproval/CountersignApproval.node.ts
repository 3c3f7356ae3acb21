import type {
  IExecuteFunctions,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from "n8n-workflow";
import { NodeConnectionTypes } from "n8n-workflow";
import { approvalProperties } from "./approval-properties.ts";
import { receiveDecision } from "./receive-decision.ts";
import { requestApproval } from "./request-approval.ts";

// n8n's loader requires the file name to match the exported class name
// (`<Class>.node.js`), hence PascalCase here instead of kebab-case.

export class CountersignApproval implements INodeType {
  description: INodeTypeDescription = {
    displayName: "Countersign Approval",
    name: "countersignApproval",
    icon: "file:countersign.svg",
    group: ["transform"],
    version: 1,
    subtitle: '={{ "Approve: " + ($parameter["title"] || $parameter["actionType"]) }}',
    description: "Pause until a person approves or rejects, and continue only on a signed decision",
    defaults: { name: "Countersign Approval" },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
    outputNames: ["Approved", "Rejected"],
    credentials: [{ name: "countersignApi", required: true }],
    // The pause's webhook_url is this execution's resume URL: Countersign's
    // signed decision resumes the waiting execution through this webhook.
    webhooks: [
      {
        name: "default",
        httpMethod: "POST",
        responseMode: "onReceived",
        path: "",
        restartWebhook: true,
      },
    ],
    waitingNodeTooltip: "Waiting for a decision in Countersign. Expiry continues on Rejected.",
    properties: approvalProperties,
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    return requestApproval(this);
  }

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveDecision(this);
  }
}
