/**
 * A webhook load generator in its own thread, so that sending 500 deliveries does not compete with the
 * App for the main thread's event loop (on GitHub the sender is another machine). The payloads are built
 * and signed beforehand; the thread only POSTs them (all at once, or one after another), each on a fresh
 * connection, and times each one from the request to the end of the answer.
 */
import { Worker } from "node:worker_threads";

export interface PreparedDelivery {
  headers: Record<string, string>;
  body: string;
}

export interface Burst {
  /** Per delivery, in sending order: milliseconds from the request to the end of the answer. */
  answerMs: number[];
  statuses: number[];
  /** From the first request to the last answer. */
  wallMs: number;
}

// Plain JavaScript run by the worker (eval'd: no loader needed for TypeScript).
const WORKER_SOURCE = `
const http = require("node:http");
const { parentPort } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");

function post(target, agent, { headers, body }) {
  return new Promise((resolve) => {
    const started = performance.now();
    const done = (status) => resolve({ status, started, ended: performance.now() });
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: "POST", agent,
      headers: { ...headers, "Content-Length": Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on("end", () => done(res.statusCode));
    });
    req.on("error", () => done(0));
    req.end(body);
  });
}

parentPort.on("message", async ({ url, deliveries, concurrent }) => {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const results = [];
  if (concurrent) results.push(...(await Promise.all(deliveries.map((d) => post(target, agent, d)))));
  else for (const d of deliveries) results.push(await post(target, agent, d));
  agent.destroy();
  const first = Math.min(...results.map((r) => r.started));
  const last = Math.max(...results.map((r) => r.ended));
  parentPort.postMessage({ answerMs: results.map((r) => r.ended - r.started), statuses: results.map((r) => r.status), wallMs: last - first });
});
`;

export class LoadGenerator {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });

  /** POSTs every delivery to `url` at once and resolves when all have been answered. */
  burst(url: string, deliveries: PreparedDelivery[]): Promise<Burst> {
    return this.send(url, deliveries, true);
  }

  /** POSTs the deliveries one after another, each once the previous one was answered. */
  oneByOne(url: string, deliveries: PreparedDelivery[]): Promise<Burst> {
    return this.send(url, deliveries, false);
  }

  private send(url: string, deliveries: PreparedDelivery[], concurrent: boolean): Promise<Burst> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.worker.once("error", onError);
      this.worker.once("message", (burst: Burst) => {
        this.worker.off("error", onError);
        resolve(burst);
      });
      this.worker.postMessage({ url, deliveries, concurrent });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
