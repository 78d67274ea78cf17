/**
 * Who may read the status page: whoever presents STATUS_TOKEN. Scripts send `Authorization: Bearer
 * <token>`; a browser opens `/status?token=<token>` once and gets a cookie instead, then is sent on to the
 * same page without the token in its address (so it stays out of the history, bookmarks and logs).
 *
 * The cookie does not hold the token: it holds an expiry and an HMAC of it keyed by the token, so it is
 * worth nothing after `COOKIE_HOURS` or once the token changes. It is HttpOnly, SameSite=Strict, limited to
 * /status, and Secure when the request came over HTTPS (directly, or `X-Forwarded-Proto: https` from the
 * proxy in front). Every comparison is constant-time (both sides hashed to the same length first).
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

export const COOKIE_NAME = "lts_steward_status";
export const COOKIE_HOURS = 12;

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/** Constant-time equality of two strings of any lengths. */
export const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b));

export type Credential = "header" | "cookie" | "query";

export type Verdict = { ok: true; via: Credential } | { ok: false; presented: boolean };

function cookieValue(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE_NAME) return rest.join("=");
  }
  return null;
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? "";
}

export const isHttps = (req: IncomingMessage): boolean =>
  (req.socket as Partial<TLSSocket>).encrypted === true || String(req.headers["x-forwarded-proto"] ?? "").split(",")[0]?.trim().toLowerCase() === "https";

export class StatusGate {
  constructor(
    private readonly token: string,
    private readonly now: () => number = Date.now,
  ) {}

  private mac(expires: number): string {
    return createHmac("sha256", this.token).update(`lts-steward status cookie ${expires}`).digest("base64url");
  }

  private validCookie(value: string): boolean {
    const match = /^(\d{10,13})\.([A-Za-z0-9_-]{43})$/.exec(value);
    if (!match) return false;
    const expires = Number(match[1]);
    return sameSecret(match[2]!, this.mac(expires)) && expires * 1000 > this.now();
  }

  /** Whether the request carries the token (header or `?token=`) or a valid cookie; `presented`: it carried something. */
  verdict(req: IncomingMessage, query: URLSearchParams): Verdict {
    const header = bearer(req);
    const cookie = cookieValue(req);
    const fromQuery = query.get("token");
    if (header !== null && sameSecret(header, this.token)) return { ok: true, via: "header" };
    if (fromQuery !== null && sameSecret(fromQuery, this.token)) return { ok: true, via: "query" };
    if (cookie !== null && this.validCookie(cookie)) return { ok: true, via: "cookie" };
    return { ok: false, presented: header !== null || cookie !== null || fromQuery !== null };
  }

  /** The Set-Cookie header for a browser that presented the token. */
  cookie(req: IncomingMessage): string {
    const expires = Math.floor(this.now() / 1000) + COOKIE_HOURS * 3600;
    return `${COOKIE_NAME}=${expires}.${this.mac(expires)}; Path=/status; Max-Age=${COOKIE_HOURS * 3600}; HttpOnly; SameSite=Strict${isHttps(req) ? "; Secure" : ""}`;
  }
}
