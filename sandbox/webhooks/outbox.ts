/**
 * The sandbox sending webhooks by itself, as GitHub does to an App: each change a REST call makes becomes the
 * events GitHub would send for it (change-events.ts), built from the state the call left before its answer goes
 * out, then delivered after the answer, one at a time and in the order the changes happened. Each payload is
 * schema-checked and signed as the driver's are (deliver.ts).
 *
 * An App that cannot be reached (not started yet, restarting) is retried with back-off, keeping the order: later
 * deliveries wait. An answer of any status, or none within the timeout, ends a delivery, as on GitHub. Nothing
 * here can fail or slow down the REST call beyond building the payloads.
 */
import { randomUUID } from "node:crypto";
import type { StateChange } from "../state/changes.js";
import type { Store } from "../state/store.js";
import type { JsonObject } from "../shapes/context.js";
import { eventsFor } from "./change-events.js";
import { deliverWebhook, DeliveryFailed } from "./deliver.js";
import { WebhookDriver } from "./driver.js";
import type { WebhookEvent } from "./payloads.js";

export interface RetryPolicy {
  /** Tries per delivery, the first included. */
  attempts: number;
  /** The wait after the first failure; it doubles after each one, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}

/** About four minutes of tries: time to start (or restart) the App after the sandbox. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 12, firstDelayMs: 500, maxDelayMs: 30_000 };

export interface OutboxDelivery {
  /** `pull_request.closed`, or `push` for events without an action. */
  event: string;
  /** What it is about: `#12`, `refs/heads/main`, `v36.0.4`, a GHSA id. */
  subject: string;
  deliveryId: string;
  /** The App's answer; null when none came (`error` says why). */
  status: number | null;
  attempts: number;
  error?: string;
  payload: JsonObject;
}

export interface OutboxRetry {
  event: string;
  subject: string;
  deliveryId: string;
  attempt: number;
  error: string;
  delayMs: number;
}

export interface OutboxOptions {
  store: Store;
  /** The sandbox's own URL, for the URLs in payloads. */
  origin: string;
  /** The App's webhook URL. */
  url: string;
  /** Defaults to the App's webhook secret in the store. */
  secret?: string;
  /** The events the App subscribes to (`X-GitHub-Event` names); every event the sandbox sends when absent. */
  events?: readonly string[];
  retry?: RetryPolicy;
  /** GitHub gives up on an answer after 10 s. */
  timeoutMs?: number;
  /** Deliveries waiting at most; events beyond are dropped (and reported with an error). */
  maxWaiting?: number;
  onDelivery?: (delivery: OutboxDelivery) => void;
  onRetry?: (retry: OutboxRetry) => void;
}

interface Waiting {
  event: WebhookEvent;
  deliveryId: string;
}

const KEPT = 1000;

export class WebhookOutbox {
  /** The latest deliveries' outcomes (at most 1,000), oldest first. */
  readonly deliveries: OutboxDelivery[] = [];
  private readonly waiting: Waiting[] = [];
  private readonly driver: WebhookDriver;
  private readonly retry: RetryPolicy;
  private running: Promise<void> | null = null;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(private readonly options: OutboxOptions) {
    this.driver = new WebhookDriver({ store: options.store, origin: options.origin, url: options.url });
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** Builds the events for what one REST call changed and queues them. Never throws: a failure is a delivery with an error. */
  async capture(changes: StateChange[]): Promise<void> {
    const wants = (name: string) => this.options.events === undefined || this.options.events.includes(name);
    for (const change of changes) {
      if (this.closed) return;
      try {
        for (const event of await eventsFor({ store: this.options.store, driver: this.driver, change, wants })) this.enqueue(event);
      } catch (error) {
        const message = `could not build the webhook for "${change.kind}": ${error instanceof Error ? error.message : String(error)}`;
        this.record({ event: change.kind, subject: "", deliveryId: "", status: null, attempts: 0, error: message, payload: {} });
      }
    }
  }

  /** Resolves once every queued delivery has been made (or given up). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops: nothing more is sent, a wait between tries ends, queued deliveries are forgotten. */
  close(): void {
    this.closed = true;
    this.waiting.length = 0;
    this.wake?.();
  }

  private enqueue(event: WebhookEvent): void {
    const deliveryId = randomUUID();
    if (this.waiting.length >= (this.options.maxWaiting ?? 1000)) {
      this.record({ ...describe(event), deliveryId, status: null, attempts: 0, error: "dropped: too many deliveries waiting", payload: event.payload });
      return;
    }
    this.waiting.push({ event, deliveryId });
    this.kick();
  }

  private kick(): void {
    if (this.running || this.closed) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      // Queued after the loop saw an empty queue, before it ended.
      if (this.waiting.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let next = this.waiting[0]; next && !this.closed; next = this.waiting[0]) {
      const delivery = await this.deliver(next);
      this.waiting.shift();
      this.record(delivery);
    }
  }

  private async deliver({ event, deliveryId }: Waiting): Promise<OutboxDelivery> {
    const base = { ...describe(event), deliveryId, payload: event.payload };
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await deliverWebhook({
          url: this.options.url,
          secret: this.options.secret ?? this.options.store.app.webhookSecret,
          name: event.name,
          payload: event.payload,
          deliveryId,
          ...(this.options.timeoutMs !== undefined ? { timeoutMs: this.options.timeoutMs } : {}),
        });
        return { ...base, status: result.status, attempts: attempt };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        // Only an App that could not be reached is tried again; GitHub does not redeliver a timeout.
        const retry = error instanceof DeliveryFailed && error.reason === "connection" && attempt < this.retry.attempts && !this.closed;
        if (!retry) return { ...base, status: null, attempts: attempt, error: message };
        const delayMs = Math.min(this.retry.firstDelayMs * 2 ** (attempt - 1), this.retry.maxDelayMs);
        this.options.onRetry?.({ ...describe(event), deliveryId, attempt, error: message, delayMs });
        await this.pause(delayMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private record(delivery: OutboxDelivery): void {
    this.deliveries.push(delivery);
    if (this.deliveries.length > KEPT) this.deliveries.shift();
    this.options.onDelivery?.(delivery);
  }
}

function describe(event: WebhookEvent): { event: string; subject: string } {
  const payload = event.payload as Record<string, unknown> & {
    action?: unknown; number?: unknown; ref?: unknown;
    issue?: { number?: unknown }; release?: { tag_name?: unknown }; repository_advisory?: { ghsa_id?: unknown };
  };
  const action = typeof payload.action === "string" ? `.${payload.action}` : "";
  const number = payload.number ?? payload.issue?.number;
  const subject = number !== undefined ? `#${String(number)}` : String(payload.ref ?? payload.release?.tag_name ?? payload.repository_advisory?.ghsa_id ?? "");
  return { event: `${event.name}${action}`, subject };
}
