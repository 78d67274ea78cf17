/** The `X-Hub-Signature-256` header GitHub sends: an HMAC-SHA256 of the exact body bytes. */
import { createHmac } from "node:crypto";

export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}
