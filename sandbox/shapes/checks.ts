/** `check-run`. */
import type { CheckRunRecord, RepoRecord } from "../state/types.js";
import { derivedId, nodeId, repoApiUrl, repoWebUrl, type JsonObject, type ShapeContext } from "./context.js";
import { appJson } from "./apps.js";
import { userJson } from "./users.js";

/** The App that made the run: in full when it is the sandbox App, otherwise built from the id and slug the run keeps. */
function runAppJson(ctx: ShapeContext, repo: RepoRecord, run: CheckRunRecord): JsonObject {
  if (ctx.app?.id === run.app.id) return appJson(ctx, ctx.app);
  return {
    id: run.app.id,
    slug: run.app.slug,
    node_id: nodeId("Integration", run.app.id),
    owner: userJson(ctx, repo.owner),
    name: run.app.slug,
    description: null,
    external_url: ctx.webUrl,
    html_url: `${ctx.webUrl}/apps/${run.app.slug}`,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    permissions: {},
    events: [],
  };
}

export function checkRunJson(ctx: ShapeContext, repo: RepoRecord, run: CheckRunRecord): JsonObject {
  const api = repoApiUrl(ctx, repo);
  const url = `${api}/check-runs/${run.id}`;
  const repoRef = { id: repo.id, url: api, name: repo.name };
  const pullRequests = [...repo.pulls.values()]
    .filter((pull) => pull.headSha === run.headSha && repo.issues.get(pull.number)?.state === "open")
    .map((pull) => ({
      id: pull.id,
      number: pull.number,
      url: `${api}/pulls/${pull.number}`,
      head: { ref: pull.headRef, sha: pull.headSha, repo: repoRef },
      base: { ref: pull.baseRef, sha: pull.baseSha, repo: repoRef },
    }));
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId("CheckRun", run.id),
    external_id: run.externalId,
    url,
    html_url: `${repoWebUrl(ctx, repo)}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    // GitHub groups one App's runs on one commit into a suite; the id only has to be stable for that pair.
    check_suite: { id: derivedId("check_suite", `${repo.id}:${run.app.id}:${run.headSha}`) },
    app: runAppJson(ctx, repo, run),
    pull_requests: pullRequests,
  };
}
