import { readFileSync } from "node:fs";

/**
 * A self-signed certificate and its key (`test-certificate.pem`), made with
 * openssl for these tests only and registered nowhere: the certificate
 * credential signs its client assertion with it.
 */
export const TEST_CERTIFICATE_FILE = new URL("./test-certificate.pem", import.meta.url);

const pem = readFileSync(TEST_CERTIFICATE_FILE, "utf8");

export const TEST_CERTIFICATE = block(pem, "CERTIFICATE");
export const TEST_PRIVATE_KEY = block(pem, "PRIVATE KEY");

function block(text: string, label: string): string {
  const found = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).exec(text)?.[0];
  if (!found) throw new Error(`test-certificate.pem has no ${label}`);
  return found;
}
