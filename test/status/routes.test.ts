/**
 * The status page's HTTP answers (src/status/routes.ts) on a real loopback server: the token (header,
 * `?token=` exchanged for a cookie, the cookie's expiry and forgery), JSON or HTML by `.json` or Accept,
 * security headers, every text escaped, 404s, HEAD.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { COOKIE_HOURS, COOKIE_NAME } from "../../src/status/auth.js";
import { createStatusHandler, routeOf, wantsJson } from "../../src/status/routes.js";
import type { StatusIndex } from "../../src/status/view.js";
import { REPO, statusFixture, type Fixture } from "./fixture.js";

const TOKEN = "7c1e9a3f5b2d4c6e8a0b1d3f5e7c9a2b";
const clock = { now: Date.parse("2025-11-21T10:00:00Z") };
let fixture: Fixture;
let server: Server;
let base: string;
const logged: unknown[] = [];

beforeAll(async () => {
  fixture = statusFixture();
  fixture.record({
    name: "pull closed #12 <script>alert(1)</script>",
    outcomes: [
      { subject: "backport #12 → release-36.0.0", status: "done", detail: "opened #40", url: "https://github.com/acme/engine/pull/40" },
      { subject: "backport #12 → release-24.0.0", status: "failed", detail: `"><img src=x onerror=alert(1)> & more`, url: "javascript:alert(1)" },
    ],
  });
  const log = { debug: (obj: unknown) => void logged.push(obj), error: (obj: unknown) => void logged.push(obj) };
  const handler = createStatusHandler({ token: TOKEN, deps: fixture.deps, log, now: () => clock.now });
  server = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const bearer = { authorization: `Bearer ${TOKEN}` };

describe("the token", () => {
  test.each([
    ["no credential", {}],
    ["a wrong bearer token", { authorization: "Bearer 7c1e9a3f5b2d4c6e8a0b1d3f5e7c9a2c" }],
    ["the token as Basic", { authorization: `Basic ${TOKEN}` }],
    ["the token as the cookie's value", { cookie: `${COOKIE_NAME}=${TOKEN}` }],
  ])("%s: 401 with a Bearer challenge and no data", async (_name, headers: Record<string, string>) => {
    for (const path of ["/status", "/status.json", `/status/${REPO}`, "/status/nope"]) {
      const response = await fetch(`${base}${path}`, { headers });
      expect({ path, status: response.status }).toEqual({ path, status: 401 });
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="lts-steward status"/);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = await response.text();
      expect(body).not.toContain("engine");
      expect(body).not.toContain(TOKEN);
    }
  });

  test("a wrong ?token= is refused; the right one, from a browser, is exchanged for a cookie and the address loses it", async () => {
    expect((await fetch(`${base}/status?token=nope`)).status).toBe(401);
    const response = await fetch(`${base}/status/${REPO}?token=${TOKEN}`, { redirect: "manual" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`/status/${REPO}`);
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^${COOKIE_NAME}=\\d+\\.[A-Za-z0-9_-]{43}; Path=/status; Max-Age=${COOKIE_HOURS * 3600}; HttpOnly; SameSite=Strict$`));
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(";")[0]!;
    const page = await fetch(`${base}/status/${REPO}`, { headers: { cookie: session } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<h1>acme/engine</h1>");
    // The address it sends the browser to is the page's own, never one made from the request.
    for (const [path, location] of [["/status/..//evil.example", "/status"], ["/status//evil.example/x", "/status"], ["/status/", "/status"]]) {
      expect((await fetch(`${base}${path}?token=${TOKEN}`, { redirect: "manual" })).headers.get("location")).toBe(location);
    }
    // Behind a proxy that speaks HTTPS to the browser, the cookie is Secure.
    const proxied = await fetch(`${base}/status?token=${TOKEN}`, { redirect: "manual", headers: { "x-forwarded-proto": "https" } });
    expect(proxied.headers.get("set-cookie")).toMatch(/; Secure$/);
  });

  test("a script's ?token= asking for JSON is answered at once, without a cookie", async () => {
    const response = await fetch(`${base}/status.json?token=${TOKEN}`, { redirect: "manual" });
    expect(response.status).toBe(200);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  test("the cookie lapses after its hours, and one with another signature is refused", async () => {
    const cookie = (await fetch(`${base}/status?token=${TOKEN}`, { redirect: "manual" })).headers.get("set-cookie")!.split(";")[0]!;
    const [, expires, mac] = /=(\d+)\.(.+)$/.exec(cookie)!;
    const forged = `${COOKIE_NAME}=${Number(expires) + 3600}.${mac}`;
    expect((await fetch(`${base}/status`, { headers: { cookie: forged } })).status).toBe(401);
    const flipped = `${COOKIE_NAME}=${expires}.${mac!.slice(0, -1)}${mac!.endsWith("A") ? "B" : "A"}`;
    expect((await fetch(`${base}/status`, { headers: { cookie: flipped } })).status).toBe(401);
    expect((await fetch(`${base}/status`, { headers: { cookie: `other=1; ${cookie}` } })).status).toBe(200);
    clock.now += COOKIE_HOURS * 3600 * 1000 + 1000;
    try {
      expect((await fetch(`${base}/status`, { headers: { cookie } })).status).toBe(401);
    } finally {
      clock.now -= COOKIE_HOURS * 3600 * 1000 + 1000;
    }
  });

  test("no log line holds the token", () => {
    expect(logged.length).toBeGreaterThan(0);
    expect(JSON.stringify(logged)).not.toContain(TOKEN);
  });
});

describe("answers", () => {
  test("JSON by .json or by an Accept header that prefers it; HTML otherwise, with a strict policy and no script", async () => {
    const index = await fetch(`${base}/status.json`, { headers: bearer });
    expect(index.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(((await index.json()) as StatusIndex).repositories.map((r) => r.repository)).toEqual([REPO]);
    for (const accept of ["application/json", "text/html;q=0.5, application/json"]) {
      expect((await fetch(`${base}/status/${REPO}`, { headers: { ...bearer, accept } })).headers.get("content-type")).toMatch(/^application\/json/);
    }
    for (const accept of [undefined, "text/html,application/xhtml+xml,*/*;q=0.8", "text/html, application/json;q=0.9", "*/*"]) {
      const response = await fetch(`${base}/status/${REPO}`, { headers: { ...bearer, ...(accept ? { accept } : {}) } });
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(response.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("vary")).toBe("Accept, Authorization, Cookie");
    }
  });

  test("every text is escaped: a job name or an outcome from anyone cannot add markup, and only http(s) links are made", async () => {
    for (const path of ["/status", `/status/${REPO}`]) {
      const page = await (await fetch(`${base}${path}`, { headers: bearer })).text();
      expect(page).not.toMatch(/<script|<img|onerror=alert\(1\)>/i);
      expect(page).not.toContain("javascript:");
      expect(page).toContain("pull closed #12 &lt;script&gt;alert(1)&lt;/script&gt;");
      expect(page).toContain('<a href="https://github.com/acme/engine/pull/40">opened #40</a>');
    }
    const page = await (await fetch(`${base}/status/${REPO}`, { headers: bearer })).text();
    expect(page).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt; &amp; more");
  });

  test("404 for a repository the App does not know and for other paths under /status; HEAD answers without a body", async () => {
    for (const path of ["/status/acme/unknown", "/status/acme/unknown.json", "/status/acme", "/status/a/b/c", "/status/%2e%2e/x", "/status/ac%ZZme/x"]) {
      expect({ path, status: (await fetch(`${base}${path}`, { headers: bearer })).status }).toEqual({ path, status: 404 });
    }
    const head = await fetch(`${base}/status/${REPO}.json`, { method: "HEAD", headers: bearer });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get("content-length"))).toBeGreaterThan(100);
    expect(await head.text()).toBe("");
  });
});

test("routes and negotiation", () => {
  expect(routeOf("/status")).toEqual({ page: "index" });
  expect(routeOf("/status/")).toEqual({ page: "index" });
  expect(routeOf("/status.json")).toEqual({ page: "index" });
  expect(routeOf("/status/acme/engine.json")).toEqual({ page: "repository", repository: "acme/engine" });
  expect(routeOf("/status/acme/my.repo.json.json")).toEqual({ page: "repository", repository: "acme/my.repo.json" });
  expect(routeOf("/status/acme/..")).toEqual({ page: "unknown" });
  expect(routeOf("/status/acme/a%2Fb")).toEqual({ page: "unknown" });
  expect(wantsJson("/status", "application/json;q=0")).toBe(false);
  expect(wantsJson("/status", "application/json, text/html")).toBe(false);
  expect(wantsJson("/status", "application/json")).toBe(true);
});
