import type {
  IAuthenticateGeneric,
  ICredentialTestRequest,
  ICredentialType,
  INodeProperties,
} from "n8n-workflow";

// n8n's loader requires the file name to match the exported class name
// (`<Class>.credentials.js`), hence PascalCase here instead of kebab-case.

/** Countersign server, agent API key, and the secrets the node verifies decisions with. */
export class CountersignApi implements ICredentialType {
  name = "countersignApi";
  displayName = "Countersign API";
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
      displayName: "Agent API Key",
      name: "apiKey",
      type: "string",
      typeOptions: { password: true },
      default: "",
      required: true,
      placeholder: "csk_agent_…",
      description: "An API key with the agent role: it opens pauses",
    },
    {
      displayName: "Webhook Secret",
      name: "webhookSecret",
      type: "string",
      typeOptions: { password: true },
      default: "",
      required: true,
      placeholder: "whsec_…",
      description:
        "The server's Standard Webhooks signing secret. A decision webhook that is not signed with it is refused and the workflow stays paused.",
    },
    {
      displayName: "Proof Secret",
      name: "proofSecret",
      type: "string",
      typeOptions: { password: true },
      default: "",
      description:
        "The server's proof secret (HMAC). Give this, the public keys, or both; with both, both signatures must verify.",
    },
    {
      displayName: "Public Keys (JWK Set)",
      name: "publicKeys",
      type: "string",
      typeOptions: { rows: 4 },
      default: "",
      placeholder: '{"keys":[{"kty":"OKP","crv":"Ed25519","x":"…","kid":"…"}]}',
      description:
        "The server's Ed25519 public keys as JSON (GET /v1/keys), to verify proofs without holding any secret",
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: "generic",
    properties: { headers: { Authorization: "=Bearer {{$credentials.apiKey}}" } },
  };

  // An agent key may list its own pauses: 200 proves the server is reachable and the key valid.
  test: ICredentialTestRequest = {
    request: {
      baseURL: "={{$credentials.serverUrl}}",
      url: "/v1/pauses",
      qs: { limit: 1 },
    },
  };
}
