/**
 * The status page in a real browser (the browser tier, `npm run test:browser`): the real App as its own
 * process (`src/main.ts`, as `npm start` runs it) with STATUS_TOKEN, against the sandbox; a backport through
 * signed webhooks; then headless Chromium (Debian's, driven by playwright-core): refused without the token,
 * let in by `?token=` (which leaves the address for an HttpOnly cookie), the repository's schedule chart
 * rendered as SVG with a bar per line, and the backport as the repository's last job.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type BrowserContext } from "playwright-core";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { startAppProcess, type AppProcess } from "../../scripts/demo/app-process.js";
import type { RepositoryStatus } from "../../src/status/view.js";

const DAY = "2025-11-21";
const TOKEN = "4f6c2b8e0a9d7c5e3b1f2a4c6e8d0b9a";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SLOW = 120_000;

let sandbox: Sandbox;
let repo: RepoRecord;
let app: AppProcess;
let browser: Browser;
let fix: number;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's (apt-get install -y chromium), as .ci/run does, or set CHROMIUM_PATH`);
  sandbox = await Sandbox.start();
  ({ repo } = await sandbox.seedWasmtime({ through: DAY }));
  app = await startAppProcess(sandbox, { today: DAY, env: { STATUS_TOKEN: TOKEN } });
  await app.settled();
  const { issue } = await sandbox.scenario.proposeFix({
    repo, branch: "fix-browser", title: "Fix the fuel docs", files: { "docs/fuel.md": "fixed\n" }, author: people.committer, labels: ["backport:lts"],
  });
  fix = issue.number;
  await sandbox.scenario.merge({ repo, number: fix, by: people.maintainer });
  const driver = sandbox.webhooks(app.webhookUrl);
  expect((await driver.send(await driver.pullRequest({ repo, number: fix, action: "closed", sender: people.maintainer }))).status).toBe(200);
  await app.settled();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
}, SLOW);

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await sandbox?.stop();
});

afterEach(() => sandbox.assertNoViolations());

const repoPath = () => `/status/${repo.owner.login}/${repo.name}`;
const backports = () => [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${fix}`));

async function withContext<T>(use: (context: BrowserContext) => Promise<T>): Promise<T> {
  const context = await browser.newContext();
  try {
    return await use(context);
  } finally {
    await context.close();
  }
}

test("without the token, or with a wrong one, the browser gets 401 and no data", async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    for (const path of ["/status", repoPath(), `/status?token=${"0".repeat(32)}`]) {
      const response = await page.goto(`${app.url}${path}`);
      expect({ path, status: response?.status() }).toEqual({ path, status: 401 });
      await expect(page.locator("h1").textContent()).resolves.toBe("A token is needed");
      expect(await page.content()).not.toContain(repo.name);
    }
    expect(await context.cookies()).toEqual([]);
  });
}, SLOW);

test("with ?token= the browser is let in by a cookie, the address loses the token, and the repository page shows the chart and the last job", async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    const response = await page.goto(`${app.url}/status?token=${TOKEN}`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${app.url}/status`);
    const cookies = await context.cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: "lts_steward_status", path: "/status", httpOnly: true, sameSite: "Strict" })]);
    expect(cookies[0]!.value).not.toContain(TOKEN);

    // The index: the repository, its last job.
    const row = page.locator(`tr[data-repository="${repo.owner.login}/${repo.name}"]`);
    await expect(row.textContent()).resolves.toContain(`pull closed #${fix}`);
    await page.screenshot({ path: `${process.env.STATUS_SCREENSHOT_DIR ?? "/tmp"}/lts-steward-status-index.png`, fullPage: true });
    await row.locator("a").first().click();
    await page.waitForURL(`${app.url}${repoPath()}`);

    // The chart: an SVG drawn by the browser, a bar per line of the engine's chart, each with a width.
    const status = await (await fetch(`${app.url}${repoPath()}.json`, { headers: { authorization: `Bearer ${TOKEN}` } })).json() as RepositoryStatus;
    if (status.schedule.status !== "ok") throw new Error(`no schedule: ${JSON.stringify(status.schedule)}`);
    const chart = page.locator("#schedule svg.schedule-chart");
    await chart.waitFor({ state: "visible" });
    const box = await chart.boundingBox();
    expect(box!.width).toBeGreaterThan(500);
    expect(box!.height).toBeGreaterThan(100);
    const bars = chart.locator("g.line");
    await expect(bars.count()).resolves.toBe(status.schedule.chart.length);
    // Runs in the page: the SVG's own geometry, as the browser laid it out.
    interface DrawnRect { getBBox(): { width: number; height: number }; getBoundingClientRect(): { width: number } }
    interface LineGroup { getAttribute(name: string): string | null; querySelector(selector: string): unknown }
    const drawn = await bars.evaluateAll((groups: LineGroup[]) => groups.map((g) => {
      const rect = g.querySelector("rect.bar") as DrawnRect;
      const { width, height } = rect.getBBox();
      return { line: g.getAttribute("data-line"), status: g.getAttribute("data-status"), width, height, shown: rect.getBoundingClientRect().width > 0 };
    }));
    expect(drawn.map((d) => d.line)).toEqual(status.schedule.chart.map((b) => b.line));
    for (const bar of drawn) expect(bar).toEqual({ line: bar.line, status: expect.any(String), width: expect.any(Number), height: 16, shown: true });
    expect(drawn.every((d) => d.width > 1)).toBe(true);
    expect(drawn).toEqual(expect.arrayContaining([expect.objectContaining({ line: "36", status: "supported" }), expect.objectContaining({ line: "24", status: "supported" })]));
    await expect(chart.locator("line.today").getAttribute("data-date")).resolves.toBe(DAY);
    // LTS bars are longer than regular ones: 24 months against 2.
    const width = (line: string) => drawn.find((d) => d.line === line)!.width;
    expect(width("36")).toBeGreaterThan(5 * width("39"));

    // The table of lines, and the last job with an outcome per target.
    await expect(page.locator("table.lines tr[data-line='36']").textContent()).resolves.toContain("release-36.0.0");
    const job = page.locator("#jobs tr[data-job-status]").first();
    await expect(job.getAttribute("data-job-status")).resolves.toBe("succeeded");
    const text = await job.textContent();
    expect(text).toContain(`pull closed #${fix}`);
    for (const pull of backports()) expect(text).toContain(`backport #${fix} → ${pull.baseRef}: done opened #${pull.number}`);
    expect(backports()).toHaveLength(2);
    await expect(job.locator(`a[href$="/pull/${backports()[0]!.number}"]`).count()).resolves.toBe(1);
    // The page runs no script and loads nothing from elsewhere.
    expect(await page.locator("script").count()).toBe(0);
    await page.screenshot({ path: `${process.env.STATUS_SCREENSHOT_DIR ?? "/tmp"}/lts-steward-status-page.png`, fullPage: true });
  });
}, SLOW);

test("the cookie is only good for /status, and another browser without it is refused again", async () => {
  await withContext(async (context) => {
    const page = await context.newPage();
    expect((await page.goto(`${app.url}${repoPath()}`))?.status()).toBe(401);
    await page.goto(`${app.url}${repoPath()}?token=${TOKEN}`);
    expect(page.url()).toBe(`${app.url}${repoPath()}`);
    await expect(page.locator("h1").textContent()).resolves.toBe(`${repo.owner.login}/${repo.name}`);
    const health = await page.goto(`${app.url}/health`);
    expect(await health?.request().headerValue("cookie")).toBeNull();
  });
  await withContext(async (context) => {
    expect((await (await context.newPage()).goto(`${app.url}${repoPath()}`))?.status()).toBe(401);
  });
}, SLOW);
