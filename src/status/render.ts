/**
 * The status page as HTML: the views of src/status/view.ts, every text escaped (src/status/html.ts), no
 * script, one stylesheet in the page whose hash the Content-Security-Policy names.
 */
import { createHash } from "node:crypto";
import type { ReleaseCycle } from "../engine/render/json.js";
import type { FailureRecord, JobRecord } from "../runtime/job-history.js";
import type { JobOutcome } from "../runtime/journal.js";
import type { ShadowPlan } from "../runtime/shadow.js";
import { renderScheduleSvg } from "./chart.js";
import { Html, html, link } from "./html.js";
import type { QueueView, RepositoryStatus, ScheduleView, SharedQueueView, StatusIndex } from "./view.js";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 16px 40px; color: #1f2328; }
header { border-bottom: 1px solid #d0d7de; margin-bottom: 16px; padding: 12px 0; }
header a { color: inherit; font-weight: bold; text-decoration: none; }
header .meta { color: #59636e; font-size: 12px; margin-left: 12px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #eaeef2; padding-bottom: 4px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
ul.outcomes { margin: 0; padding-left: 18px; }
.status { border-radius: 10px; font-size: 12px; padding: 1px 8px; white-space: nowrap; background: #eaeef2; }
.status-done, .status-succeeded, .status-supported { background: #dafbe1; }
.status-failed { background: #ffebe9; color: #82071e; }
.status-conflict { background: #fff8c5; }
.status-skipped, .status-unchanged, .status-end-of-support { background: #eaeef2; }
.status-planned, .status-shadow, .status-upcoming, .status-projected { background: #ddf4ff; }
.muted { color: #59636e; }
.error { color: #82071e; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
.chart { overflow-x: auto; }
`;

let styleHash: string | undefined;

/** The Content-Security-Policy of every HTML page: nothing but this page's own stylesheet. */
export function contentSecurityPolicy(): string {
  styleHash ??= createHash("sha256").update(STYLE).digest("base64");
  return `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

const badge = (status: string): Html => html`<span class="status status-${status.replace(/[^a-z-]/g, "")}">${status.replace(/-/g, " ")}</span>`;

function page(title: string, meta: { version?: string; today?: string; generatedAt?: string }, body: Html): string {
  const info = [meta.version ? `version ${meta.version}` : null, meta.today ? `today ${meta.today}` : null, meta.generatedAt ? `as of ${meta.generatedAt.slice(0, 19).replace("T", " ")} UTC` : null].filter((x) => x);
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${title}</title><style>${new Html(STYLE)}</style></head>
<body><header><a href="/status">lts-steward status</a><span class="meta">${info.join(" · ")}</span></header>
${body}
</body></html>`.text;
}

function outcomeItem(o: JobOutcome): Html {
  return html`<li data-outcome-status="${o.status}">${o.subject}: ${badge(o.status)} ${link(o.url, o.detail)}</li>`;
}

function jobsTable(jobs: JobRecord[], options: { repository?: boolean } = {}): Html {
  if (jobs.length === 0) return html`<p class="muted">No job has finished in this process since it started.</p>`;
  return html`<table class="jobs"><thead><tr><th>Finished (UTC)</th>${options.repository ? html`<th>Repository</th>` : ""}<th>Job</th><th>Status</th><th>Outcomes</th></tr></thead><tbody>
${jobs.map((j) => html`<tr data-job-id="${j.id}" data-job-status="${j.status}"><td>${j.finishedAt.slice(0, 19).replace("T", " ")}<br><span class="muted">${Math.round(j.durationMs)} ms</span></td>${options.repository ? html`<td>${j.repo}</td>` : ""}<td>${j.name}${j.mode === "shadow" ? html` ${badge("shadow")}` : ""}</td><td>${badge(j.status)}${j.error ? html`<div class="error">${j.error}</div>` : ""}</td><td>${j.outcomes.length > 0 ? html`<ul class="outcomes">${j.outcomes.map(outcomeItem)}</ul>` : html`<span class="muted">—</span>`}</td></tr>\n`)}
</tbody></table>`;
}

function failuresTable(failures: FailureRecord[]): Html {
  if (failures.length === 0) return html`<p class="muted">No failure recorded.</p>`;
  return html`<table class="failures"><thead><tr><th>When (UTC)</th><th>Job</th><th>What</th><th>Why</th></tr></thead><tbody>
${failures.map((f) => html`<tr><td>${f.at.slice(0, 19).replace("T", " ")}</td><td>${f.job}</td><td>${f.subject}</td><td class="error">${f.reason}</td></tr>\n`)}
</tbody></table>`;
}

function shadowTable(plans: ShadowPlan[]): Html {
  if (plans.length === 0) return html`<p class="muted">No shadow-mode plan recorded (the repository is not in shadow mode, or nothing was planned yet).</p>`;
  return html`<table class="shadow-plans"><thead><tr><th>When (UTC)</th><th>Would</th><th>On</th><th>What</th><th>Job</th><th>Why</th></tr></thead><tbody>
${plans.map((p) => html`<tr><td>${p.at.slice(0, 19).replace("T", " ")}</td><td>${p.operation}</td><td>${p.target}</td><td>${p.summary}</td><td>${p.job}</td><td>${p.reason}</td></tr>\n`)}
</tbody></table>`;
}

function sharedQueue(shared: SharedQueueView): Html {
  if (shared === null) return html``;
  if ("error" in shared) return html`<p class="error">${shared.error}</p>`;
  return html`<h3>Shared queue (Redis, all replicas): ${shared.total} pending</h3>${shared.jobs.length === 0 ? html`<p class="muted">Empty.</p>` : html`<table class="shared-queue"><thead><tr><th>Repository</th><th>Job</th><th>State</th><th>Attempts</th></tr></thead><tbody>${shared.jobs.map((j) => html`<tr><td>${j.repo}</td><td>${j.name}</td><td>${badge(j.state)}</td><td>${j.attempts}</td></tr>`)}</tbody></table>`}`;
}

function queueSection(queue: QueueView): Html {
  const list = (jobs: { repository: string; name: string }[]) => (jobs.length === 0 ? html`<span class="muted">none</span>` : html`<ul>${jobs.map((j) => html`<li>${j.repository}: ${j.name}</li>`)}</ul>`);
  return html`<section id="queue"><h2>Queue (this process)</h2>
<p>${queue.pending} pending · ${queue.completed} completed · ${queue.failed} failed since start</p>
<p><strong>Running:</strong> ${list(queue.running)}</p><p><strong>Waiting:</strong> ${list(queue.waiting)}</p>
${sharedQueue(queue.shared)}</section>`;
}

export function renderIndex(view: StatusIndex): string {
  const rows = view.repositories.map((r) => {
    const last = r.lastJob;
    return html`<tr data-repository="${r.repository}"><td>${link(r.path, r.repository)}${r.installed ? "" : html` <span class="muted">(not installed)</span>`}</td>
<td>${last ? html`${last.name} ${badge(last.status)}<br><span class="muted">${last.finishedAt.slice(0, 19).replace("T", " ")}</span>${last.outcomes.length > 0 ? html`<ul class="outcomes">${last.outcomes.slice(0, 5).map(outcomeItem)}${last.outcomes.length > 5 ? html`<li class="muted">… and ${last.outcomes.length - 5} more</li>` : ""}</ul>` : ""}` : html`<span class="muted">none yet</span>`}</td>
<td>${r.failures > 0 ? html`<span class="error">${r.failures}</span>${r.lastFailure ? html`<br>${r.lastFailure.subject}: ${r.lastFailure.reason}` : ""}` : "0"}</td>
<td>${r.shadowPlans}</td><td>${r.queue.running ? html`running: ${r.queue.running}<br>` : ""}${r.queue.waiting} waiting</td></tr>\n`;
  });
  const body = html`<h1>Repositories</h1>
${view.installationsError ? html`<p class="error">${view.installationsError}</p>` : ""}
${view.repositories.length === 0 ? html`<p class="muted">The App is not installed on any repository yet.</p>` : html`<table class="repositories"><thead><tr><th>Repository</th><th>Last job</th><th>Failures</th><th>Shadow plans</th><th>Queue</th></tr></thead><tbody>
${rows}</tbody></table>`}
${queueSection(view.queue)}
<p class="muted">The same data as JSON: <code>/status.json</code>, or this address with <code>Accept: application/json</code>.</p>`;
  return page("lts-steward status", view, body);
}

function lineRow(l: ReleaseCycle): Html {
  const released = l.releaseDate ?? (l.nominalReleaseDate ? `due ${l.nominalReleaseDate}` : "—");
  const eol = l.eol ? `${l.eolProjected ? "~" : ""}${l.eol}` : "—";
  return html`<tr data-line="${l.releaseCycle}"><td>${l.releaseCycle}</td><td><code>${l.branch}</code></td><td>${l.lts ? "LTS" : "regular"}</td><td>${released}</td><td title="${l.eolBasis}">${eol}</td><td>${l.latest ?? "—"}</td><td>${badge(l.status)}</td></tr>\n`;
}

function scheduleSection(schedule: ScheduleView): Html {
  if (schedule.status !== "ok") {
    return html`<section id="schedule"><h2>Support schedule</h2><p class="${schedule.status === "unavailable" || schedule.status === "invalid" ? "error" : "muted"}">${schedule.reason}</p>${schedule.status === "invalid" ? html`<ul>${schedule.problems.map((p) => html`<li><code>${p.path || "(file)"}</code>: ${p.message}</li>`)}</ul>` : ""}</section>`;
  }
  const next = schedule.next;
  const events = [
    next.nextCut ? html`<li>Next branch cut: <code>${next.nextCut.branch}</code> on ${next.nextCut.date}</li>` : null,
    next.nextRelease ? html`<li>Next release: ${next.nextRelease.version} on ${next.nextRelease.date}</li>` : null,
    ...next.endsOfSupport.map((e) => html`<li>End of support: <code>${e.branch}</code>${e.kind === "lts" ? " (LTS)" : ""} after ${e.date}${e.projected ? " (projected)" : ""}</li>`),
  ].filter((e): e is Html => e !== null);
  return html`<section id="schedule"><h2>Support schedule on ${schedule.on}${schedule.mode === "shadow" ? html` ${badge("shadow")}` : ""}</h2>
<div class="chart">${renderScheduleSvg(schedule.chart, { today: schedule.on })}</div>
<table class="lines"><thead><tr><th>Line</th><th>Branch</th><th>Kind</th><th>Released</th><th>End of support</th><th>Latest</th><th>Status</th></tr></thead><tbody>
${schedule.lines.map(lineRow)}</tbody></table>
<h3>Next events</h3>${events.length > 0 ? html`<ul>${events}</ul>` : html`<p class="muted">Nothing scheduled.</p>`}
<details><summary>As Markdown and Mermaid (the schedule issue's table and chart)</summary><pre>${schedule.markdown}</pre><pre>${schedule.mermaid}</pre></details>
</section>`;
}

export function renderRepository(view: RepositoryStatus): string {
  const queue = view.queue;
  const body = html`<h1>${view.repository}</h1>
${view.installed ? "" : html`<p class="muted">The App is not installed on this repository (any more); what it recorded is kept.</p>`}
${scheduleSection(view.schedule)}
<section id="queue"><h2>Queue</h2>
<p><strong>Running:</strong> ${queue.running ?? html`<span class="muted">none</span>`}</p>
<p><strong>Waiting:</strong> ${queue.waiting.length === 0 ? html`<span class="muted">none</span>` : html`<ul>${queue.waiting.map((n) => html`<li>${n}</li>`)}</ul>`}</p>
${sharedQueue(queue.shared)}</section>
<section id="jobs"><h2>Last jobs</h2>${jobsTable(view.jobs)}</section>
<section id="failures"><h2>Failures</h2>${failuresTable(view.failures)}</section>
<section id="shadow"><h2>Shadow-mode plans</h2>${shadowTable(view.shadowPlans)}</section>
<p class="muted">The same data as JSON: this address with <code>.json</code> added, or <code>Accept: application/json</code>.</p>`;
  return page(`${view.repository} · lts-steward status`, view, body);
}

/** The answer to a request without a valid token. */
export function renderRefused(): string {
  return page("lts-steward status: token needed", {}, html`<h1>A token is needed</h1>
<p>This page needs the App's <code>STATUS_TOKEN</code>: send it as <code>Authorization: Bearer &lt;token&gt;</code>, or open <code>/status?token=&lt;token&gt;</code> once in this browser.</p>`);
}

export function renderNotFound(): string {
  return page("lts-steward status: not found", {}, html`<h1>Not found</h1><p>The App knows no such repository. <a href="/status">All repositories</a></p>`);
}
