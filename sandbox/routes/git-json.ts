/** GitHub's JSON for git objects (refs, git commits, repository commits, diff entries, branches). */
import type { BareRepo } from "../git/bare-repo.js";
import { userJson, type ShapeContext } from "../shapes/index.js";
import type { Store } from "../state/store.js";
import type { RepoRecord, UserRecord } from "../state/types.js";

type GitCommit = NonNullable<Awaited<ReturnType<BareRepo["readCommit"]>>>;
type FileChange = NonNullable<Awaited<ReturnType<BareRepo["diffFiles"]>>>[number];

const nodeId = (kind: string, key: string): string => Buffer.from(`${kind}:${key}`).toString("base64");

import { repoApiUrl, repoWebUrl } from "../shapes/context.js";

export async function refJson(ctx: ShapeContext, { repo, git, ref, sha }: { repo: RepoRecord; git: BareRepo; ref: string; sha: string }) {
  const type = (await git.objectType(sha)) ?? "commit";
  const kind = type === "tag" ? "tags" : "commits";
  return {
    ref,
    node_id: nodeId("Ref", `${repo.id}:${ref}`),
    url: `${repoApiUrl(ctx, repo)}/git/${ref}`,
    object: { type, sha, url: `${repoApiUrl(ctx, repo)}/git/${kind}/${sha}` },
  };
}

/** GitHub signs commits it creates for an App when the App leaves author and committer unset. */
export type Verification = { verified: boolean; reason: string; signature: string | null; payload: string | null; verified_at: string | null };
export const UNSIGNED: Verification = { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };

/** How a commit GitHub signed for the caller (author and committer left unset) is verified. */
export const signedByGitHub = ({ tree, at }: { tree: string; at: string }): Verification => ({
  verified: true, reason: "valid", signature: "-----BEGIN PGP SIGNATURE-----\n(sandbox)\n-----END PGP SIGNATURE-----", payload: `tree ${tree}`, verified_at: at,
});

export function gitCommitJson(ctx: ShapeContext, { repo, commit, verification = UNSIGNED }: { repo: RepoRecord; commit: GitCommit; verification?: Verification }) {
  return {
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    url: `${repoApiUrl(ctx, repo)}/git/commits/${commit.sha}`,
    html_url: `${repoWebUrl(ctx, repo)}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${repoApiUrl(ctx, repo)}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map((sha) => ({ sha, url: `${repoApiUrl(ctx, repo)}/git/commits/${sha}`, html_url: `${repoWebUrl(ctx, repo)}/commit/${sha}` })),
    verification,
  };
}

/** The GitHub account a git identity belongs to: a noreply address or a login-named author. */
export function accountOf(store: Store, identity: { name: string; email: string }): UserRecord | null {
  const noreply = /^(?:\d+\+)?([^@]+)@users\.noreply\.github\.com$/i.exec(identity.email);
  const login = noreply?.[1] ?? identity.email.split("@")[0] ?? "";
  for (const candidate of [login, identity.name]) {
    const user = store.users.get(candidate.toLowerCase());
    if (user) return user;
  }
  return null;
}

export function diffEntryJson(ctx: ShapeContext, { repo, commit, file }: { repo: RepoRecord; commit: string; file: FileChange }) {
  const entry: Record<string, unknown> = {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.changes,
    blob_url: `${repoWebUrl(ctx, repo)}/blob/${commit}/${file.filename}`,
    raw_url: `${repoWebUrl(ctx, repo)}/raw/${commit}/${file.filename}`,
    contents_url: `${repoApiUrl(ctx, repo)}/contents/${file.filename}?ref=${commit}`,
  };
  if (file.patch !== undefined) entry.patch = file.patch;
  if (file.previousFilename) entry.previous_filename = file.previousFilename;
  return entry;
}

/** The `commit` schema of `repos/get-commit`, `repos/list-commits` and `compare` (files only when given). */
export function repoCommitJson(
  ctx: ShapeContext,
  { store, repo, commit, files }: { store: Store; repo: RepoRecord; commit: GitCommit; files?: FileChange[] },
) {
  const api = repoApiUrl(ctx, repo);
  const author = accountOf(store, commit.author);
  const committer = accountOf(store, commit.committer);
  const json: Record<string, unknown> = {
    url: `${api}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: nodeId("Commit", commit.sha),
    html_url: `${repoWebUrl(ctx, repo)}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification: UNSIGNED,
    },
    author: author ? userJson(ctx, author) : null,
    committer: committer ? userJson(ctx, committer) : null,
    parents: commit.parents.map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${repoWebUrl(ctx, repo)}/commit/${sha}` })),
  };
  if (files) {
    const additions = files.reduce((sum, f) => sum + f.additions, 0);
    const deletions = files.reduce((sum, f) => sum + f.deletions, 0);
    json.stats = { additions, deletions, total: additions + deletions };
    json.files = files.map((file) => diffEntryJson(ctx, { repo, commit: commit.sha, file }));
  }
  return json;
}
