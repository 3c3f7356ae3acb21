/** Anything shaped like a JWT (a bearer token, a client assertion). */
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

/**
 * Takes secrets out of text bound for a log: the configured ones (the app
 * password, the certificate's key) and anything that looks like a token.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const known = secrets.filter((secret) => secret.length >= 4);
  return (text) => {
    let clean = text.replace(JWT, "[redacted token]");
    for (const secret of known) clean = clean.replaceAll(secret, "[redacted]");
    return clean;
  };
}
