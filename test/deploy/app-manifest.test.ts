/**
 * app.yml asks for exactly what the code uses: its events are the events the App's handlers register,
 * its permissions are the ones the App's REST calls and events need (every route in src/ is mapped below,
 * so a new call fails this test until its permission is decided), and docs/deployment.md explains each.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { createApp } from "../../src/app.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const manifest = parse(readFileSync(join(ROOT, "app.yml"), "utf8")) as {
  name: string;
  url: string;
  public: boolean;
  redirect_url?: string;
  hook_attributes: { url: string; active?: boolean };
  default_events: string[];
  default_permissions: Record<string, "read" | "write">;
};
const docs = readFileSync(join(ROOT, "docs/deployment.md"), "utf8");

type Access = "read" | "write";
type Need = [permission: string, access: Access];

/**
 * What each REST route the App calls needs (GitHub's "Fine-grained access tokens" section of each
 * endpoint's reference). Routes called with the App's JWT need no installation permission.
 */
const ROUTES: Record<string, Need[]> = {
  "GET /repos/{owner}/{repo}": [["metadata", "read"]],
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": [["metadata", "read"]],
  "GET /repos/{owner}/{repo}/branches/{branch}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/matching-refs/{ref}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/commits/{ref}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/compare/{basehead}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/commits": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/releases": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/contents/{path}": [["contents", "read"]],
  "POST /repos/{owner}/{repo}/git/commits": [["contents", "write"]],
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": [["contents", "read"]],
  "POST /repos/{owner}/{repo}/git/blobs": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/git/trees": [["contents", "write"]],
  // Creating or moving a ref needs `workflows: write` too when the ref's workflow files would differ.
  "POST /repos/{owner}/{repo}/git/refs": [["contents", "write"], ["workflows", "write"]],
  "PATCH /repos/{owner}/{repo}/git/refs/{ref}": [["contents", "write"], ["workflows", "write"]],
  "DELETE /repos/{owner}/{repo}/git/refs/{ref}": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/merges": [["contents", "write"], ["workflows", "write"]],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/pulls": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/commits": [["pull_requests", "read"]],
  "POST /repos/{owner}/{repo}/pulls": [["pull_requests", "write"]],
  "POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers": [["pull_requests", "write"]],
  "POST /repos/{owner}/{repo}/check-runs": [["checks", "write"]],
  // Looking a check run or a dispatch up by its key after a lost answer.
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": [["checks", "read"]],
  "GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs": [["actions", "read"]],
  "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches": [["actions", "write"]],
  "GET /repos/{owner}/{repo}/security-advisories/{ghsa_id}": [["repository_advisories", "read"]],
  "GET /repos/{owner}/{repo}/security-advisories": [["repository_advisories", "read"]],
  // Opt-in (advisories.drafts: suggest): an installation grants write for it; the manifest asks for read.
  "PATCH /repos/{owner}/{repo}/security-advisories/{ghsa_id}": [],
  "GET /repos/{owner}/{repo}/issues/{issue_number}": [["issues", "read"]],
  "GET /repos/{owner}/{repo}/issues": [["issues", "read"]],
  "POST /repos/{owner}/{repo}/issues": [["issues", "write"]],
  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": [["issues", "write"]],
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": [["issues", "read"]],
  // Who added a request label.
  "GET /repos/{owner}/{repo}/issues/{issue_number}/events": [["issues", "read"]],
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": [["issues", "write"]],
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": [["issues", "write"]],
  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": [["issues", "write"]],
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": [["issues", "write"]],
  "GET /repos/{owner}/{repo}/milestones": [["issues", "read"]],
  // The App's own JWT (fan-out, `lts-steward tick`) and the installation's list of its repositories.
  "GET /app/installations": [],
  // Who the App is (its slug → its bot login), with the App's JWT.
  "GET /app": [],
  "GET /repos/{owner}/{repo}/installation": [],
  "GET /installation/repositories": [],
};

/** What receiving each event needs (GitHub's webhook events reference). */
const EVENTS: Record<string, Need[]> = {
  issue_comment: [["issues", "read"]],
  pull_request: [["pull_requests", "read"]],
  release: [["contents", "read"]],
  repository_advisory: [["repository_advisories", "read"]],
  security_advisory: [],
  workflow_run: [["actions", "read"]],
};

/** Every `"VERB /route"` string in src/ outside comments. */
function routesInSource(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) files.push(path);
    }
  };
  walk(join(ROOT, "src"));
  const routes = new Set<string>();
  for (const file of files) {
    const code = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    for (const match of code.matchAll(/["'`]((?:GET|POST|PATCH|PUT|DELETE|HEAD) \/[^"'`\s]*)["'`]/g)) routes.add(match[1]!);
  }
  return [...routes].sort();
}

/** The event names the App subscribes to, from `app.on(...)` calls, without their actions. */
function registeredEvents(): string[] {
  const names = new Set<string>();
  const log = { info() {}, warn() {}, error() {}, debug() {}, child: () => log };
  const app = {
    log,
    on(event: string | string[]) {
      for (const name of [event].flat()) names.add(name.split(".")[0]!);
    },
    onAny() {},
    onError() {},
  };
  void createApp({ today: () => "2025-11-21", tick: false, recovery: false })(app as never, { cwd: ROOT, addHandler: () => {} });
  return [...names].sort();
}

const RANK: Record<Access, number> = { read: 1, write: 2 };

function needed(): Record<string, Access> {
  const result: Record<string, Access> = {};
  const needs = [...routesInSource().flatMap((route) => ROUTES[route] ?? []), ...manifest.default_events.flatMap((event) => EVENTS[event] ?? [])];
  for (const [permission, access] of needs) {
    if (!result[permission] || RANK[access] > RANK[result[permission]!]) result[permission] = access;
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
}

describe("app.yml", () => {
  test("has the manifest's required fields, is private and leaves redirect_url to Probot's setup", () => {
    expect(manifest.name).toMatch(/\S/);
    expect(manifest.url).toMatch(/^https:\/\//);
    expect(manifest.public).toBe(false);
    expect(manifest.hook_attributes.url).toMatch(/^https:\/\/.+\/api\/github\/webhooks$/);
    expect(manifest).not.toHaveProperty("redirect_url");
  });

  test("subscribes to exactly the events the App's handlers register", () => {
    expect([...manifest.default_events].sort()).toEqual(registeredEvents());
  });

  test("every REST route in src/ has its permission decided in this test", () => {
    const unmapped = routesInSource().filter((route) => !(route in ROUTES));
    expect(unmapped).toEqual([]);
    // And no stale entry for a call the code no longer makes.
    expect(Object.keys(ROUTES).filter((route) => !routesInSource().includes(route))).toEqual([]);
  });

  test("asks for exactly the permissions the routes and events need, at the access they need", () => {
    expect(Object.fromEntries(Object.entries(manifest.default_permissions).sort(([a], [b]) => a.localeCompare(b)))).toEqual(needed());
  });
});

describe("docs/deployment.md", () => {
  test("says which permission the opt-in draft suggestions need beyond the manifest's", () => {
    const row = docs.split("\n").find((line) => line.startsWith("| `repository_advisories` |"));
    expect(row).toContain("**Write** only if a repository sets `advisories.drafts: suggest`");
  });

  test.each(Object.entries(manifest.default_permissions))("justifies the %s permission (%s) in its permissions table", (permission, access) => {
    const row = docs.split("\n").find((line) => line.startsWith(`| \`${permission}\` |`));
    expect(row).toBeDefined();
    const cells = row!.split("|").map((cell) => cell.trim());
    expect(cells[2]).toBe(access);
    // The reason: a real sentence, not a placeholder.
    expect(cells[3]!.length).toBeGreaterThan(40);
  });

  test.each(manifest.default_events)("explains the %s event in its events table", (event) => {
    const row = docs.split("\n").find((line) => line.startsWith(`| \`${event}\` |`));
    expect(row).toBeDefined();
    expect(row!.split("|")[2]!.trim().length).toBeGreaterThan(30);
  });
});
