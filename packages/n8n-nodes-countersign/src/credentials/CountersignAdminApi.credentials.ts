import type {
  IAuthenticateGeneric,
  ICredentialTestRequest,
  ICredentialType,
  INodeProperties,
} from "n8n-workflow";

// n8n's loader requires the file name to match the exported class name.

/**
 * Countersign server and an admin API key, for the Countersign Trigger: it
 * registers a webhook endpoint when the workflow is activated. A credential
 * of its own, so the Approval node's agent key never carries admin rights.
 */
export class CountersignAdminApi implements ICredentialType {
  name = "countersignAdminApi";
  displayName = "Countersign Admin API";
  icon = "file:countersign.svg" as const;
  documentationUrl = "https://github.com/countersign/countersign/blob/main/docs/n8n.md";

  properties: INodeProperties[] = [
    {
      displayName: "Server URL",
      name: "serverUrl",
      type: "string",
      default: "",
      required: true,
      placeholder: "https://countersign.example.com",
      description: "Base URL of the Countersign server, without /v1",
    },
    {
      displayName: "Admin API Key",
      name: "apiKey",
      type: "string",
      typeOptions: { password: true },
      default: "",
      required: true,
      placeholder: "csk_admin_…",
      description:
        "An API key with the admin role: it registers and removes this workflow's webhook endpoint. Each endpoint's signing secret is kept in the workflow, not here.",
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: "generic",
    properties: { headers: { Authorization: "=Bearer {{$credentials.apiKey}}" } },
  };

  // Only an admin key may list endpoints: 200 proves the server is reachable and the key an admin's.
  test: ICredentialTestRequest = {
    request: { baseURL: "={{$credentials.serverUrl}}", url: "/v1/webhook-endpoints" },
  };
}
