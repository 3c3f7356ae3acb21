import type { INodeProperties } from "n8n-workflow";

export const TRIGGER_EVENTS = ["pause.opened", "pause.decided", "pause.expired", "pause.executed"] as const;

export const triggerProperties: INodeProperties[] = [
  {
    displayName: "Events",
    name: "events",
    type: "multiOptions",
    required: true,
    default: ["pause.decided"],
    options: [
      { name: "Pause Opened", value: "pause.opened", description: "An agent asked for approval" },
      {
        name: "Pause Decided",
        value: "pause.decided",
        description: "Approved, rejected or cancelled",
      },
      { name: "Pause Expired", value: "pause.expired", description: "No decision in time (a reject)" },
      {
        name: "Pause Executed",
        value: "pause.executed",
        description: "The approved action ran and its receipt was reported",
      },
    ],
    description: "The Countersign events that start this workflow",
  },
  {
    displayName: "Agent ID",
    name: "agentId",
    type: "string",
    default: "",
    placeholder: "billing-*",
    description: "Only pauses of this agent (a glob is allowed). Empty: every agent.",
  },
  {
    displayName: "Action Type",
    name: "actionType",
    type: "string",
    default: "",
    placeholder: "refund",
    description: "Only pauses of this action type (a glob is allowed). Empty: every type.",
  },
];
