/** Sandbox records for the shape and webhook tests: one organization repository with a merged and an open backport. */
import type {
  AdvisoryRecord,
  AppRecord,
  CheckRunRecord,
  CommentRecord,
  InstallationRecord,
  IssueRecord,
  LabelRecord,
  PullRecord,
  ReleaseRecord,
  RepoRecord,
  UserRecord,
} from "../../sandbox/state/types.js";
import type { ShapeContext } from "../../sandbox/shapes/index.js";

export const SHA = {
  mainTip: "9f1c2b7e4d3a5f6081726354a1b2c3d4e5f60718",
  releaseBase: "3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3",
  fixHead: "c0ffee00d15ea5e5badc0de0123456789abcdef0",
  backportHead: "b4c0ffeeb4c0ffeeb4c0ffeeb4c0ffeeb4c0ffee",
  mergeCommit: "5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed5e1ec7ed",
  tree: "7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7ee7",
} as const;

function user(login: string, id: number, type: UserRecord["type"] = "User"): UserRecord {
  return { login, id, type };
}

function issue(fields: Partial<IssueRecord> & Pick<IssueRecord, "id" | "number" | "title" | "user">): IssueRecord {
  return {
    body: null,
    state: "open",
    stateReason: null,
    labels: [],
    assignees: [],
    milestone: null,
    locked: false,
    createdAt: "2025-11-03T09:15:00Z",
    updatedAt: "2025-11-03T09:15:00Z",
    closedAt: null,
    closedBy: null,
    isPull: false,
    ...fields,
  };
}

function pull(fields: Partial<PullRecord> & Pick<PullRecord, "id" | "number" | "headRef" | "headSha" | "baseRef" | "baseSha">): PullRecord {
  return {
    draft: false,
    maintainerCanModify: true,
    merged: false,
    mergedAt: null,
    mergedBy: null,
    mergeCommitSha: null,
    requestedReviewers: [],
    commits: null,
    ...fields,
  };
}

export function makeWorld() {
  const ctx: ShapeContext = { apiUrl: "http://127.0.0.1:4567/api/v3", webUrl: "http://127.0.0.1:4567" };
  const org = user("bytecodealliance", 51227910, "Organization");
  const maintainer = user("alexcrichton", 64996);
  const contributor = user("jdoe-dev", 7345120);
  const bot = user("lts-steward[bot]", 190001234, "Bot");
  const users = new Map([maintainer, contributor, bot, org].map((u) => [u.login, u]));
  ctx.lookupUser = (login) => users.get(login);

  const labels: LabelRecord[] = [
    { id: 7001, name: "bug", color: "d73a4a", description: "Something isn't working" },
    { id: 7002, name: "backport: release-39.0.0", color: "0e8a16", description: null },
  ];
  const fix = issue({
    id: 30001,
    number: 11201,
    title: "Fix out-of-bounds read in table.copy",
    body: "Found by the fuzzer; see the attached test case.",
    user: contributor,
    labels: ["bug", "backport: release-39.0.0"],
    assignees: ["alexcrichton"],
    milestone: 3,
    state: "closed",
    stateReason: null,
    createdAt: "2025-11-03T09:15:00Z",
    updatedAt: "2025-11-05T16:40:12Z",
    closedAt: "2025-11-05T16:40:12Z",
    closedBy: maintainer,
    isPull: true,
  });
  const backport = issue({
    id: 30002,
    number: 11215,
    title: "[39.0] Fix out-of-bounds read in table.copy",
    body: "Backport of #11201 to release-39.0.0.",
    user: bot,
    labels: ["backport: release-39.0.0", "needs-triage"],
    createdAt: "2025-11-05T16:41:02Z",
    updatedAt: "2025-11-05T16:41:02Z",
    isPull: true,
  });
  const report = issue({ id: 30003, number: 11190, title: "Crash in table.copy with negative length", user: contributor, milestone: 3 });
  const fixPull = pull({
    id: 2987001,
    number: 11201,
    headRef: "fix-table-copy",
    headSha: SHA.fixHead,
    baseRef: "main",
    baseSha: SHA.mainTip,
    merged: true,
    mergedAt: "2025-11-05T16:40:12Z",
    mergedBy: maintainer,
    mergeCommitSha: SHA.mergeCommit,
    requestedReviewers: ["alexcrichton"],
    commits: [SHA.fixHead],
  });
  const backportPull = pull({
    id: 2987002,
    number: 11215,
    headRef: "lts-steward/backport-11201-to-release-39.0.0",
    headSha: SHA.backportHead,
    baseRef: "release-39.0.0",
    baseSha: SHA.releaseBase,
    draft: true,
    maintainerCanModify: false,
  });
  const pullComment: CommentRecord = {
    id: 880001,
    issueNumber: 11201,
    body: "/backport release-38.0.0",
    user: maintainer,
    createdAt: "2025-11-05T16:45:00Z",
    updatedAt: "2025-11-05T16:45:00Z",
  };
  const issueComment: CommentRecord = { ...pullComment, id: 880002, issueNumber: 11190, body: "Thanks, fixed by #11201.", createdAt: "2025-11-05T16:50:00Z", updatedAt: "2025-11-05T16:50:00Z" };
  const release: ReleaseRecord = {
    id: 5550001,
    tagName: "v39.0.1",
    targetCommitish: "release-39.0.0",
    name: null,
    body: null,
    draft: false,
    prerelease: false,
    author: maintainer,
    createdAt: "2025-11-20T12:00:00Z",
    publishedAt: "2025-11-20T12:05:00Z",
  };
  const draftRelease: ReleaseRecord = { ...release, id: 5550002, tagName: "v40.0.0", name: "v40.0.0", body: "Draft notes", draft: true, publishedAt: null };
  const checkRun: CheckRunRecord = {
    id: 44001,
    name: "lts-steward / backport",
    headSha: SHA.backportHead,
    status: "completed",
    conclusion: "success",
    startedAt: "2025-11-05T16:41:05Z",
    completedAt: "2025-11-05T16:41:09Z",
    externalId: "backport-11201-39",
    detailsUrl: null,
    output: { title: "Backported to release-39.0.0", summary: "Cherry-picked cleanly.", text: null },
    app: { id: 987654, slug: "lts-steward" },
  };
  const advisory: AdvisoryRecord = {
    ghsaId: "GHSA-q8hx-mm92-4wvg",
    cveId: "CVE-2025-53901",
    summary: "Out-of-bounds read in table.copy",
    description: "A negative length passed to table.copy reads past the end of the table.",
    severity: "high",
    state: "published",
    vulnerabilities: [
      {
        package: { ecosystem: "rust", name: "wasmtime" },
        vulnerableVersionRange: ">= 38.0.0, < 38.0.4",
        patchedVersions: "38.0.4",
        vulnerableFunctions: ["wasmtime::Table::copy"],
      },
    ],
    author: contributor,
    publisher: maintainer,
    createdAt: "2025-11-01T08:00:00Z",
    updatedAt: "2025-11-20T12:10:00Z",
    publishedAt: "2025-11-20T12:10:00Z",
    closedAt: null,
    withdrawnAt: null,
  };
  const reported: AdvisoryRecord = {
    ...advisory,
    ghsaId: "GHSA-7r2f-x3c4-pq9m",
    cveId: null,
    severity: null,
    state: "triage",
    vulnerabilities: [{ package: { ecosystem: "rust", name: null }, vulnerableVersionRange: null, patchedVersions: null, vulnerableFunctions: [] }],
    publisher: null,
    publishedAt: null,
  };

  const repo: RepoRecord = {
    id: 102939213,
    owner: org,
    name: "wasmtime",
    private: false,
    defaultBranch: "main",
    description: "A lightweight WebAssembly runtime that is fast, secure, and standards-compliant",
    createdAt: "2017-08-08T20:23:27Z",
    gitDir: "/tmp/sandbox/wasmtime.git",
    installationId: 40123,
    collaborators: new Map([["alexcrichton", "admin"]]),
    labels: new Map(labels.map((l) => [l.name, l])),
    milestones: [{ id: 9003, number: 3, title: "39.0.1", state: "open" }],
    issues: new Map([fix, backport, report].map((i) => [i.number, i])),
    pulls: new Map([fixPull, backportPull].map((p) => [p.number, p])),
    comments: new Map([pullComment, issueComment].map((c) => [c.id, c])),
    reactions: [{ id: 120001, subject: { kind: "comment", id: 880001 }, content: "+1", user: contributor, createdAt: "2025-11-05T16:46:00Z" }],
    releases: [release, draftRelease],
    checkRuns: new Map([[checkRun.id, checkRun]]),
    dispatches: [],
    workflowRuns: [],
    workflows: ["release.yml"],
    issueEvents: [],
    advisories: new Map([advisory, reported].map((a) => [a.ghsaId, a])),
    nextNumber: 11216,
  };
  const userRepo: RepoRecord = {
    ...repo,
    id: 200001,
    owner: maintainer,
    name: "toy-runtime",
    private: true,
    description: null,
    collaborators: new Map(),
    issues: new Map(),
    pulls: new Map(),
    comments: new Map(),
    releases: [],
  };
  const app: AppRecord = {
    id: 987654,
    slug: "lts-steward",
    name: "LTS Steward",
    owner: org,
    publicKey: "-----BEGIN PUBLIC KEY-----\n(unused here)\n-----END PUBLIC KEY-----\n",
    privateKey: "-----BEGIN RSA PRIVATE KEY-----\n(unused here)\n-----END RSA PRIVATE KEY-----\n",
    webhookSecret: "sandbox-webhook-secret",
    bot,
  };
  const installation: InstallationRecord = { id: 40123, account: org, repositorySelection: "selected", createdAt: "2025-10-01T10:00:00Z" };
  return {
    ctx, org, maintainer, contributor, bot, repo, userRepo, app, installation,
    fix, backport, report, fixPull, backportPull, pullComment, issueComment, release, draftRelease, checkRun, advisory, reported,
  };
}

export type World = ReturnType<typeof makeWorld>;
