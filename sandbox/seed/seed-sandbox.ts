/**
 * Seeding a sandbox repository: git history from a script or an imported local repository, plus the
 * collaboration state GitHub would hold for it (releases, collaborators, labels, workflows).
 */
import { ensureLabel } from "../state/records.js";
import type { Store, CreateRepoInput } from "../state/store.js";
import type { RepoRecord, ReleaseRecord } from "../state/types.js";
import { buildRepository, type SeedScript } from "./build-repository.js";
import { importRepository } from "./import-repository.js";
import { releasesFromTags } from "./release-tags.js";
import { wasmtimeLikeScript, type WasmtimeLike } from "./wasmtime-like.js";

export interface SeedReleaseInput {
  tagName: string;
  publishedAt: string;
  name?: string;
  body?: string;
  prerelease?: boolean;
}

export interface SeedRepositoryInput extends CreateRepoInput {
  /** Build the history from a script… */
  script?: SeedScript;
  /** …or import a local git repository (its branches and tags; version tags become releases). */
  importFrom?: string;
  /** Tag pattern that marks version tags of an imported repository (default `v{version}`). */
  tagPattern?: string;
  releases?: SeedReleaseInput[];
  labels?: string[];
  /** Workflow file names that accept `workflow_dispatch`, e.g. `ci.yml`. */
  workflows?: string[];
}

export interface SeededRepository {
  repo: RepoRecord;
  /** Script labels (and branch/tag names) to commit shas. */
  commits: Record<string, string>;
}

export async function seedRepository(store: Store, input: SeedRepositoryInput): Promise<SeededRepository> {
  let repo: RepoRecord;
  let commits: Record<string, string> = {};
  let releases = input.releases ?? [];
  if (input.importFrom) {
    const imported = await importRepository({ source: input.importFrom, into: store.gitDirFor(input) });
    repo = await store.createRepo({ ...input, defaultBranch: input.defaultBranch ?? imported.defaultBranch }, imported.repo);
    const tagged = releasesFromTags({ tags: imported.tags, ...(input.tagPattern ? { tagPattern: input.tagPattern } : {}) });
    releases = [...tagged.map((r) => ({ tagName: r.tagName, publishedAt: r.publishedAt, prerelease: r.prerelease })), ...releases];
    commits = Object.fromEntries(imported.tags.map((tag) => [tag.name, tag.sha]));
  } else {
    repo = await store.createRepo(input);
  }
  if (input.script) {
    const built = await buildRepository({ repo: store.git(repo), script: input.script });
    commits = { ...commits, ...built.branches, ...built.tags, ...built.commits };
  }
  for (const release of releases) addRelease(store, repo, release);
  for (const name of input.labels ?? []) ensureLabel(store, { repo, name });
  repo.workflows.push(...(input.workflows ?? []));
  return { repo, commits };
}

function addRelease(store: Store, repo: RepoRecord, input: SeedReleaseInput): ReleaseRecord {
  const release: ReleaseRecord = {
    id: store.nextId(),
    tagName: input.tagName,
    targetCommitish: repo.defaultBranch,
    name: input.name ?? input.tagName,
    body: input.body ?? null,
    draft: false,
    prerelease: input.prerelease ?? false,
    author: repo.owner,
    createdAt: input.publishedAt,
    publishedAt: input.publishedAt,
  };
  repo.releases.push(release);
  return release;
}

export interface WasmtimeSeedInput {
  /** Events of the history up to and including this day (`YYYY-MM-DD`). */
  through: string;
  owner?: string;
  name?: string;
}

/** People of the Wasmtime-like repository and what they may do. */
export const WASMTIME_PEOPLE = { maintainer: "alex-maintainer", committer: "casey-committer", triager: "tess-triager", outsider: "olive-outsider" } as const;

export async function seedWasmtime(store: Store, input: WasmtimeSeedInput): Promise<SeededRepository & { history: WasmtimeLike }> {
  const history = wasmtimeLikeScript({ through: input.through });
  const seeded = await seedRepository(store, {
    owner: input.owner ?? "bytecodealliance",
    name: input.name ?? "wasmtime",
    description: "A lightweight WebAssembly runtime (sandbox copy)",
    collaborators: {
      [WASMTIME_PEOPLE.maintainer]: "maintain",
      [WASMTIME_PEOPLE.committer]: "write",
      [WASMTIME_PEOPLE.triager]: "triage",
      [WASMTIME_PEOPLE.outsider]: "read",
    },
    script: history.script,
    releases: history.releases.map((r) => ({ tagName: r.tagName, publishedAt: r.publishedAt })),
    labels: ["security", "bug"],
    workflows: ["main.yml"],
  });
  return { ...seeded, history };
}
