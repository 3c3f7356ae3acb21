import type { INodeProperties } from "n8n-workflow";

/** The fields of the Countersign Approval node, in the order an n8n user fills them in. */
export const approvalProperties: INodeProperties[] = [
  {
    displayName:
      "Countersign asks a person to approve or reject, then resumes this workflow with a signed decision. Only the first input item is sent for approval; use Loop Over Items to approve items one by one.",
    name: "notice",
    type: "notice",
    default: "",
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
  },
  {
    displayName: "Data (JSON)",
    name: "dataJson",
    type: "json",
    default: "{}",
    displayOptions: { show: { dataSource: ["json"] } },
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
