import type { IDisplayOptions, INodeProperties } from "n8n-workflow";

/** `sendAndWait` (n8n-workflow's SEND_AND_WAIT_OPERATION), kept literal so older n8n versions load the node. */
export const SEND_AND_WAIT_OPERATION = "sendAndWait";

// Only n8n's Human review variant (see tool-review.ts) has a `message`
// field, so its presence tells the two apart in the editor.
const inToolReview: IDisplayOptions["show"] = { message: [{ _cnd: { exists: true } }] };

/** The fields of the Countersign Approval node, in the order an n8n user fills them in. */
export const approvalProperties: INodeProperties[] = [
  {
    // One operation, which is what makes n8n (2.x) offer this node as a
    // "Human review" step for AI Agent tools: a node with webhooks and a
    // `sendAndWait` operation gets a `…HitlTool` variant.
    displayName: "Operation",
    name: "operation",
    type: "options",
    noDataExpression: true,
    default: SEND_AND_WAIT_OPERATION,
    options: [
      {
        name: "Send and Wait for Approval",
        value: SEND_AND_WAIT_OPERATION,
        action: "Ask for approval and wait for the decision",
      },
    ],
  },
  {
    displayName:
      "Countersign asks a person to approve or reject, then resumes this workflow with a signed decision. Only the first input item is sent for approval; use Loop Over Items to approve items one by one.",
    name: "notice",
    type: "notice",
    default: "",
    displayOptions: { hide: inToolReview },
  },
  {
    displayName:
      "Each call the agent makes to a connected tool becomes a Countersign pause with the tool's name and arguments. The tool runs only after a verified approval, once; a rejection or expiry tells the agent why. An approval with edited arguments is not run (n8n can only run the original call): the agent is told the approved arguments instead.",
    name: "toolReviewNotice",
    type: "notice",
    default: "",
    displayOptions: { show: inToolReview },
  },
  {
    displayName: "Agent ID",
    name: "agentId",
    type: "string",
    default: "n8n",
    required: true,
    description: "Who is asking: shown to approvers and matched by Countersign policy rules",
  },
  {
    displayName: "Action Type",
    name: "actionType",
    type: "string",
    default: "",
    required: true,
    placeholder: "e.g. refund",
    description: "Kind of action, such as refund, payment, deploy or email",
  },
  {
    displayName: "Title",
    name: "title",
    type: "string",
    default: "",
    placeholder: "e.g. Refund order #{{ $json.order_id }}",
    description: "One line the approver reads first",
  },
  {
    displayName: "Description",
    name: "description",
    type: "string",
    default: "",
    typeOptions: { rows: 2 },
  },
  {
    displayName: "Body (Markdown)",
    name: "body",
    type: "string",
    default: "",
    typeOptions: { rows: 5 },
    description: "A longer Markdown preview for the approver",
  },
  {
    displayName: "Data",
    name: "dataSource",
    type: "options",
    default: "incomingItem",
    options: [
      {
        name: "Incoming Item",
        value: "incomingItem",
        description: "The JSON of the first input item is what gets approved",
      },
      { name: "JSON", value: "json", description: "Write the arguments to approve as JSON" },
      { name: "None", value: "none" },
    ],
    description: "The exact arguments the action will run with; an approver may edit them",
    // As Human review, the data is always the tool call's arguments.
    displayOptions: { hide: inToolReview },
  },
  {
    displayName: "Data (JSON)",
    name: "dataJson",
    type: "json",
    default: "{}",
    displayOptions: { show: { dataSource: ["json"] }, hide: inToolReview },
  },
  {
    displayName: "Risk",
    name: "risk",
    type: "options",
    default: "",
    options: [
      { name: "Not Set", value: "" },
      { name: "Low", value: "low" },
      { name: "Medium", value: "medium" },
      { name: "High", value: "high" },
      { name: "Critical", value: "critical" },
    ],
  },
  {
    displayName: "Recipients",
    name: "recipients",
    type: "fixedCollection",
    typeOptions: { multipleValues: true },
    default: {},
    placeholder: "Add Recipient",
    description: "Where to ask. Without recipients, Countersign's routing policy decides.",
    options: [
      {
        displayName: "Recipient",
        name: "recipient",
        values: [
          {
            displayName: "Channel",
            name: "channel",
            type: "options",
            default: "slack",
            options: [
              { name: "Slack", value: "slack" },
              { name: "Email", value: "email" },
              { name: "Web Inbox", value: "web" },
            ],
          },
          {
            displayName: "Target",
            name: "target",
            type: "string",
            default: "",
            placeholder: "e.g. #finance-approvals, @U024BE7LH or ops@example.com",
            description: "Slack channel or user, email address, or web inbox group",
          },
        ],
      },
    ],
  },
  {
    displayName: "Expires After",
    name: "expiresAmount",
    type: "number",
    default: 1,
    typeOptions: { minValue: 1 },
    description: "With no decision by then, the pause expires and the workflow continues on Rejected",
  },
  {
    displayName: "Expiry Unit",
    name: "expiresUnit",
    type: "options",
    default: "hours",
    options: [
      { name: "Seconds", value: "seconds" },
      { name: "Minutes", value: "minutes" },
      { name: "Hours", value: "hours" },
      { name: "Days", value: "days" },
    ],
  },
];
