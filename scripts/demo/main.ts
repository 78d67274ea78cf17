/**
 * `npm run demo`: the whole App on its built-in local sandbox, offline. A Wasmtime-like repository on real
 * git, the real App as its own process, and a story told through signed webhooks: a security fix merged
 * (one line conflicts), `/backport lts` from a maintainer and from an outsider, an advisory reported then
 * published, the release-day branch cut by the daily tick, and the next major released.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { readAdvisoryIssue } from "../../src/advisory/render.js";
import { readSummary, readTracking } from "../../src/backport/render.js";
import { Sandbox } from "../../sandbox/sandbox.js";
import { WASMTIME_PEOPLE as people } from "../../sandbox/seed/seed-sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";
import { sandboxEnv, startAppProcess, type AppProcess } from "./app-process.js";
import { outcomeText, print, section } from "./print.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const FILE = "crates/runtime/src/table.rs";
const started = performance.now();
const day = { value: "2025-11-21" };
const sandbox = await Sandbox.start({ now: () => new Date(`${day.value}T${new Date().toISOString().slice(11)}`) });
let app: AppProcess | undefined;

const botComments = (repo: RepoRecord, number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number && c.user.login.endsWith("[bot]"));
const issueWith = (repo: RepoRecord, text: string) => [...repo.issues.values()].find((i) => !repo.pulls.has(i.number) && (i.body ?? "").includes(text));

async function deliver(event: Parameters<ReturnType<Sandbox["webhooks"]>["send"]>[0]): Promise<void> {
  if (!app) throw new Error("the App is not running");
  const record = await sandbox.webhooks(app.webhookUrl).send(event);
  if (record.status !== 200) throw new Error(`the App answered ${record.status} to ${record.event}`);
  await app.settled();
}

async function readFile(repo: RepoRecord, ref: string): Promise<string> {
  const git = sandbox.store.git(repo);
  const found = await git.readPath({ commit: (await git.resolveCommit(ref))!, path: FILE });
  if (found?.kind !== "file") throw new Error(`no ${FILE} on ${ref}`);
  return found.content.toString("utf8");
}

async function securityFix(repo: RepoRecord): Promise<void> {
  section("1. A security fix is merged with the label backport:security (2025-11-21)");
  const main = await readFile(repo, "main");
  const old = await readFile(repo, "release-24.0.0");
  const line = main.split("\n").find((l) => l.trim().length > 20 && old.split("\n").includes(l) && main.split("\n").filter((x) => x === l).length === 1)!;
  // release-24.0.0 changed that line on its own once, so the fix will not apply there.
  await sandbox.scenario.commit({ repo, branch: "release-24.0.0", message: "Tweak table bounds on 24 only\n", files: { [FILE]: old.replace(line, `${line} // 24 only`) }, author: people.maintainer });
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "fix-table-bounds", title: "Check table bounds before filling", files: { [FILE]: main.replace(line, `${line} // checked`) }, author: people.committer, labels: ["backport:security"] });
  await sandbox.scenario.merge({ repo, number: issue.number, method: "squash", by: people.maintainer });
  await deliver(await sandbox.webhooks(app!.webhookUrl).pullRequest({ repo, number: issue.number, action: "closed", sender: people.maintainer }));
  const summary = readSummary(botComments(repo, issue.number).find((c) => c.body.includes("lts-steward:summary"))?.body ?? null);
  print(`#${issue.number} "${issue.title}" merged by @${people.maintainer}. The engine's targets and what happened:`);
  for (const row of summary?.rows ?? []) print(`  ${row.branch.padEnd(16)} ${outcomeText(row.outcome).padEnd(34)} (${row.reason})`);
  for (const skipped of summary?.skipped ?? []) print(`  ${skipped.branch.padEnd(16)} not backported: ${skipped.reason}`);
  const conflict = summary?.rows.find((r) => r.outcome.kind === "conflict");
  if (conflict?.outcome.kind === "conflict") {
    print(`\nConflict report for ${conflict.branch} (in the summary comment and issue #${conflict.outcome.issue?.number}, assigned to @${people.committer}):`);
    print(`  files: ${conflict.outcome.files.join(", ")}`);
    for (const command of conflict.outcome.commands) print(`  $ ${command}`);
    const missing = conflict.outcome.missing.slice(-3);
    if (missing.length > 0) print(`  earlier changes to these files that ${conflict.branch} never got (latest ${missing.length}): ${missing.map((m) => `${m.sha.slice(0, 10)} "${m.title}"`).join(", ")}`);
  }
  const tracking = issueWith(repo, `lts-steward:tracking pr-${issue.number}`);
  if (tracking) {
    print(`\nTracking issue #${tracking.number} "${tracking.title}":`);
    for (const row of readTracking(tracking.body)?.rows ?? []) print(`  [ ] ${row.label} (${row.branch}): ${row.status}${row.pull ? ` #${row.pull.number}` : ""}${row.issue ? ` see #${row.issue.number}` : ""}`);
  }
}

async function backportCommands(repo: RepoRecord): Promise<void> {
  section("2. /backport lts, from an outsider and from a maintainer");
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "fix-fuel", title: "Fix the fuel accounting of calls", files: { "docs/fuel.md": "Fuel is charged per call.\n" }, author: people.committer });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const driver = sandbox.webhooks(app!.webhookUrl);
  const outsider = sandbox.scenario.comment({ repo, number: issue.number, body: "/backport lts", author: people.outsider });
  await deliver(driver.issueComment({ repo, comment: outsider }));
  const refusal = botComments(repo, issue.number).find((c) => c.body.includes(`comment-${outsider.id}`));
  print(`@${people.outsider} (read access) asked; the App's reply:\n  ${firstLine(refusal?.body)}`);
  const maintainer = sandbox.scenario.comment({ repo, number: issue.number, body: "/backport lts", author: people.maintainer });
  await deliver(driver.issueComment({ repo, comment: maintainer }));
  const opened = [...repo.pulls.values()].filter((p) => p.headRef.endsWith(`/pr-${issue.number}`));
  print(`@${people.maintainer} (maintain) asked; backport PRs opened: ${opened.map((p) => `#${p.number} → ${p.baseRef}`).join(", ")}`);
}

const firstLine = (body: string | undefined) => (body ?? "(none)").split("\n").filter((l) => l.trim() && !l.startsWith("<!--"))[0] ?? "";

async function advisory(repo: RepoRecord): Promise<void> {
  section("3. A security advisory: reported (embargoed), then published");
  const ghsa = "GHSA-7v4r-4c2q-xj6h";
  const vulnerabilities = [{ name: "wasmtime", vulnerable: ">= 36.0.0, < 36.0.4", patched: "36.0.4" }, { name: "wasmtime", vulnerable: ">= 38.0.0, < 38.0.2", patched: "38.0.2" }];
  const driver = sandbox.webhooks(app!.webhookUrl);
  const reported = sandbox.scenario.advisory({ repo, ghsaId: ghsa, state: "triage", summary: "Out-of-bounds write in table.grow", vulnerabilities, by: people.maintainer });
  const mark = sandbox.log.mark();
  await deliver(driver.repositoryAdvisory({ repo, advisory: reported, action: "reported" }));
  print(`Reported privately: the App made ${sandbox.log.since(mark).length} API calls and ${sandbox.log.writes(mark).length} writes (embargo).`);
  const { issue } = await sandbox.scenario.proposeFix({ repo, branch: "fix-grow", title: `Fix ${ghsa}: bounds-check table.grow`, files: { "docs/grow.md": "table.grow is bounds-checked.\n" }, author: people.maintainer });
  await sandbox.scenario.merge({ repo, number: issue.number, by: people.maintainer });
  const published = sandbox.scenario.advisory({ repo, ghsaId: ghsa, cveId: "CVE-2025-64345", state: "published", summary: "Out-of-bounds write in table.grow", vulnerabilities, by: people.maintainer });
  await deliver(driver.repositoryAdvisory({ repo, advisory: published, action: "published" }));
  const tracking = issueWith(repo, `lts-steward:advisory ${ghsa.toLowerCase()}`);
  const state = readAdvisoryIssue(tracking?.body ?? null);
  print(`Published: tracking issue #${tracking?.number} "${tracking?.title}"`);
  for (const row of state?.rows ?? []) print(`  [ ] ${row.label.padEnd(8)} fix ships in ${row.nextPatch}: ${row.status}${row.pull ? ` (backport PR #${row.pull.number} of fix #${issue.number})` : ""}`);
  for (const note of state?.unaffected ?? []) print(`      ${note.label.padEnd(8)} not affected: ${note.reason}`);
}

async function releaseDayCut(repo: RepoRecord): Promise<void> {
  section("4. Release day: the daily tick cuts release-40.0.0 (2025-12-05), here run by hand with lts-steward tick");
  day.value = "2025-12-05";
  const run = promisify(execFile);
  const { stdout } = await run(`${ROOT}node_modules/.bin/tsx`, [`${ROOT}src/cli/main.ts`, "tick", "--repo", `${repo.owner.login}/${repo.name}`, "--on", day.value], {
    cwd: ROOT, env: { ...process.env, ...sandboxEnv(sandbox), LOG_LEVEL: "silent" },
  });
  print(stdout.trimEnd().split("\n").map((l) => `  ${l}`).join("\n"));
  const cut = await sandbox.store.git(repo).readRef("refs/heads/release-40.0.0");
  print(`release-40.0.0 now points at ${cut?.slice(0, 12)}, main's head on the cut day.`);
}

async function nextMajor(repo: RepoRecord): Promise<void> {
  section("5. 40.0.0 is released (2025-12-20): the schedule issue is updated");
  day.value = "2025-12-20";
  await app?.stop();
  app = await startAppProcess(sandbox, { today: day.value });
  await sandbox.scenario.release({ repo, tag: "v40.0.0", target: "release-40.0.0", by: people.maintainer });
  await deliver(sandbox.webhooks(app.webhookUrl).release({ repo, tag: "v40.0.0" }));
  const schedule = issueWith(repo, "lts-steward:schedule support");
  const chart = /```mermaid\n([\s\S]*?)```/.exec(schedule?.body ?? "")?.[1] ?? "(no chart)";
  const table = (schedule?.body ?? "").split("\n").filter((l) => l.startsWith("|")).join("\n");
  print(`Schedule issue #${schedule?.number} "${schedule?.title}", its chart:\n\n${chart}\n${table}`);
}

try {
  const { repo } = await sandbox.seedWasmtime({ through: day.value });
  print(`Sandbox: ${repo.owner.login}/${repo.name} on real git at ${sandbox.apiUrl}, release lines 20 to 39, policy \`preset: wasmtime\`.`);
  app = await startAppProcess(sandbox, { today: day.value });
  print(`The App runs as its own process at ${app.url} (webhooks at /api/github/webhooks).`);
  await securityFix(repo);
  await backportCommands(repo);
  await advisory(repo);
  await releaseDayCut(repo);
  await nextMajor(repo);
  sandbox.assertNoViolations();
  section(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s; every request the App made matched GitHub's OpenAPI description.`);
} finally {
  await app?.stop();
  await sandbox.stop();
}
