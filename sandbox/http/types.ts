/** What a route handler receives and returns; the server does routing, auth, validation and logging. */
import type { UserRecord } from "../state/types.js";

export type Actor =
  | { kind: "app"; appId: number }
  | { kind: "installation"; installationId: number; user: UserRecord }
  | { kind: "user"; user: UserRecord };

export interface OperationRequest {
  operationId: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  actor: Actor;
  /** The media type asked for, e.g. `application/vnd.github.raw` for raw file contents. */
  accept: string;
}

export interface OperationResult {
  status: number;
  /** JSON, or a Buffer sent as is with the `content-type` the handler sets. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** A GitHub-style error answer; handlers throw it, the server renders it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }

  toBody(): Record<string, unknown> {
    return { message: this.message, documentation_url: "https://docs.github.com/rest", status: String(this.status), ...this.extra };
  }
}

export const notFound = (): HttpError => new HttpError(404, "Not Found");

export const unprocessable = (message: string, errors?: unknown[]): HttpError =>
  new HttpError(422, message, errors ? { errors } : {});
