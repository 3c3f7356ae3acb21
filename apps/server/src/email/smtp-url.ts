import { CountersignError } from "@countersign/core";
import type { SMTPTransportOptions } from "nodemailer";

/** Query parameters an SMTP URL may carry, mapped to nodemailer's options. */
const BOOLEAN_PARAMETERS = ["requireTLS", "ignoreTLS", "tls.rejectUnauthorized"] as const;

/**
 * Turns `smtp://user:pass@host:587` (STARTTLS when the server offers it) or
 * `smtps://user:pass@host:465` (TLS from the first byte) into nodemailer
 * options. `?requireTLS=true` refuses a server without STARTTLS;
 * `?tls.rejectUnauthorized=false` accepts a self-signed certificate (tests
 * and private relays only). The user name and password are percent-decoded.
 */
export function smtpOptionsFromUrl(url: string): SMTPTransportOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CountersignError(
      "invalid_request",
      "The SMTP URL is not a URL (expected smtp://user:pass@host:587)",
    );
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
    throw new CountersignError(
      "invalid_request",
      `The SMTP URL must start with smtp:// or smtps://, not ${parsed.protocol}//`,
    );
  }
  if (parsed.hostname === "") throw new CountersignError("invalid_request", "The SMTP URL names no host");
  const secure = parsed.protocol === "smtps:";
  const options: SMTPTransportOptions = {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port === "" ? (secure ? 465 : 587) : Number(parsed.port),
    secure,
    // A mail server that hangs must not hold a notification forever.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  if (parsed.username !== "" || parsed.password !== "") {
    options.auth = { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) };
  }
  for (const [name, value] of parsed.searchParams) {
    if (!(BOOLEAN_PARAMETERS as readonly string[]).includes(name)) {
      throw new CountersignError(
        "invalid_request",
        `The SMTP URL has an unknown parameter ${name} (known: ${BOOLEAN_PARAMETERS.join(", ")})`,
      );
    }
    if (value !== "true" && value !== "false") {
      throw new CountersignError("invalid_request", `The SMTP URL parameter ${name} must be true or false`);
    }
    if (name === "tls.rejectUnauthorized") options.tls = { rejectUnauthorized: value === "true" };
    else options[name as "requireTLS" | "ignoreTLS"] = value === "true";
  }
  return options;
}

/** The URL without its password, for logs and start-up messages. */
export function describeSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable SMTP URL)";
  }
}
