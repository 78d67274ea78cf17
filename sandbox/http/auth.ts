/**
 * Who is calling, as GitHub decides it: an App JWT (RS256, signed with the App's private key, `iss` = App
 * id, short-lived) may only use the `/app` endpoints; an installation token reaches that installation's
 * repositories; a personal token acts as its user.
 */
import { createPublicKey, verify } from "node:crypto";
import type { Store } from "../state/store.js";
import type { RepoRecord } from "../state/types.js";
import { HttpError, type Actor } from "./types.js";

/** Operations GitHub lets an App JWT call; everything else needs an installation or user token. */
const APP_JWT_OPERATIONS = new Set([
  "apps/get-authenticated",
  "apps/list-installations",
  "apps/get-installation",
  "apps/get-repo-installation",
  "apps/create-installation-access-token",
]);

const MAX_JWT_LIFETIME_S = 10 * 60;
const CLOCK_DRIFT_S = 60;

export function authenticate({ store, header, operationId }: { store: Store; header: string | undefined; operationId: string }): Actor {
  const match = /^(bearer|token)\s+(\S+)$/i.exec(header ?? "");
  if (!match) throw new HttpError(401, "Requires authentication");
  const credential = match[2]!;
  if (credential.split(".").length === 3) {
    const appId = verifyAppJwt(store, credential);
    if (!APP_JWT_OPERATIONS.has(operationId)) {
      throw new HttpError(403, "A JSON web token could not be decoded", {});
    }
    return { kind: "app", appId };
  }
  if (APP_JWT_OPERATIONS.has(operationId) && operationId !== "apps/get-repo-installation") {
    throw new HttpError(401, "A JSON web token could not be decoded");
  }
  const token = store.tokens.get(credential);
  if (token) {
    if (token.expiresAt < Date.now()) throw new HttpError(401, "Bad credentials");
    return { kind: "installation", installationId: token.installationId, user: store.app.bot };
  }
  const user = store.userTokens.get(credential);
  if (user) return { kind: "user", user };
  throw new HttpError(401, "Bad credentials");
}

function verifyAppJwt(store: Store, jwt: string): number {
  const [header, payload, signature] = jwt.split(".") as [string, string, string];
  const decoded = decodeJson(header);
  if (decoded?.alg !== "RS256") throw new HttpError(401, "A JSON web token could not be decoded");
  const ok = verify(
    "RSA-SHA256",
    Buffer.from(`${header}.${payload}`),
    createPublicKey(store.app.publicKey),
    Buffer.from(signature, "base64url"),
  );
  if (!ok) throw new HttpError(401, "A JSON web token could not be decoded");
  const claims = decodeJson(payload);
  const nowS = Math.floor(Date.now() / 1000);
  if (String(claims?.iss) !== String(store.app.id)) {
    throw new HttpError(401, "'Issuer' claim ('iss') must be an Integer");
  }
  const iat = Number(claims?.iat);
  const exp = Number(claims?.exp);
  if (!Number.isFinite(exp) || exp < nowS) throw new HttpError(401, "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires");
  if (!Number.isFinite(iat) || iat > nowS + CLOCK_DRIFT_S) throw new HttpError(401, "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued");
  if (exp - iat > MAX_JWT_LIFETIME_S + CLOCK_DRIFT_S) throw new HttpError(401, "'Expiration time' claim ('exp') is too far in the future");
  return store.app.id;
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Can this actor see the repository? (What it may change is decided per operation, by role.) */
export function canSee({ store, actor, repo }: { store: Store; actor: Actor; repo: RepoRecord }): boolean {
  if (actor.kind === "installation") return repo.installationId === actor.installationId;
  if (actor.kind === "app") return false;
  return store.permission(repo, actor.user.login) !== "none";
}
