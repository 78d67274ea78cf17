/**
 * All of one sandbox's state: the App, its installations, users, repositories (records in memory, git
 * objects in bare repositories under `root`), tokens, and the id counter and clock they share.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { join } from "node:path";
import { BareRepo } from "../git/bare-repo.js";
import type { AppRecord, InstallationRecord, Permission, RepoRecord, TokenRecord, UserRecord } from "./types.js";

export interface StoreOptions {
  root: string;
  now?: () => Date;
  app?: { id?: number; slug?: string; name?: string; webhookSecret?: string; privateKey?: string };
}

export interface CreateRepoInput {
  owner: string;
  name: string;
  defaultBranch?: string;
  private?: boolean;
  description?: string;
  collaborators?: Record<string, Permission>;
}

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export class Store {
  readonly root: string;
  readonly app: AppRecord;
  readonly installations = new Map<number, InstallationRecord>();
  readonly users = new Map<string, UserRecord>();
  readonly repos = new Map<string, RepoRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  /** Personal tokens for people acting in tests and the demo (merging a PR, commenting). */
  readonly userTokens = new Map<string, UserRecord>();
  private readonly gitRepos = new Map<number, BareRepo>();
  private lastId = 1000;
  /** Workflow runs get ids from their own counter, so dispatching does not shift every later record's id. */
  private lastRunId = 30_000_000_000;
  now: () => Date;

  constructor(options: StoreOptions) {
    this.root = options.root;
    this.now = options.now ?? (() => new Date());
    // A person's sandbox keeps its key across restarts so the App's configured key stays valid.
    const privateKey = options.app?.privateKey
      ? createPrivateKey(options.app.privateKey)
      : generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const keys = { privateKey, publicKey: createPublicKey(privateKey) };
    const slug = options.app?.slug ?? "lts-steward";
    const owner = this.user("sandbox-org", "Organization");
    this.app = {
      id: options.app?.id ?? 1,
      slug,
      name: options.app?.name ?? "lts-steward (sandbox)",
      owner,
      publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
      privateKey: keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      webhookSecret: options.app?.webhookSecret ?? randomBytes(16).toString("hex"),
      bot: this.user(`${slug}[bot]`, "Bot"),
    };
  }

  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  nextRunId(): number {
    this.lastRunId += 1;
    return this.lastRunId;
  }

  timestamp(): string {
    return this.now().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** The user with this login, created on first use (GitHub logins are case-insensitive). */
  user(login: string, type: UserRecord["type"] = "User"): UserRecord {
    const key = login.toLowerCase();
    let user = this.users.get(key);
    if (!user) {
      user = { login, id: this.nextId(), type };
      this.users.set(key, user);
    }
    return user;
  }

  /** The installation on this account, created on first use. */
  installationFor(account: string): InstallationRecord {
    for (const installation of this.installations.values()) {
      if (installation.account.login.toLowerCase() === account.toLowerCase()) return installation;
    }
    const installation: InstallationRecord = {
      id: this.nextId(),
      account: this.user(account, "Organization"),
      repositorySelection: "selected",
      createdAt: this.timestamp(),
    };
    this.installations.set(installation.id, installation);
    return installation;
  }

  /** A new repository with an empty bare git repository, or adopting `git` (an imported one). */
  async createRepo(input: CreateRepoInput, adopt?: BareRepo): Promise<RepoRecord> {
    const key = `${input.owner}/${input.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`sandbox repository ${input.owner}/${input.name} already exists`);
    const defaultBranch = input.defaultBranch ?? "main";
    const git = adopt ?? (await BareRepo.init({ dir: this.gitDirFor(input), defaultBranch }));
    const gitDir = git.dir;
    const repo: RepoRecord = {
      id: this.nextId(),
      owner: this.user(input.owner, "Organization"),
      name: input.name,
      private: input.private ?? false,
      defaultBranch,
      description: input.description ?? null,
      createdAt: this.timestamp(),
      gitDir,
      installationId: this.installationFor(input.owner).id,
      collaborators: new Map(Object.entries(input.collaborators ?? {}).map(([login, p]) => [login.toLowerCase(), p])),
      labels: new Map(),
      milestones: [],
      issues: new Map(),
      pulls: new Map(),
      comments: new Map(),
      reactions: [],
      releases: [],
      checkRuns: new Map(),
      dispatches: [],
      workflowRuns: [],
      workflows: [],
      issueEvents: [],
      advisories: new Map(),
      nextNumber: 1,
    };
    for (const login of repo.collaborators.keys()) this.user(login);
    this.repos.set(key, repo);
    this.gitRepos.set(repo.id, git);
    return repo;
  }

  gitDirFor({ owner, name }: { owner: string; name: string }): string {
    return join(this.root, "repos", `${owner}--${name}.git`);
  }

  findRepo(owner: string, name: string): RepoRecord | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  repoById(id: number): RepoRecord | undefined {
    for (const repo of this.repos.values()) if (repo.id === id) return repo;
    return undefined;
  }

  git(repo: RepoRecord): BareRepo {
    const git = this.gitRepos.get(repo.id);
    if (!git) throw new Error(`no git repository for ${repo.owner.login}/${repo.name}`);
    return git;
  }

  reposOf(installationId: number): RepoRecord[] {
    return [...this.repos.values()].filter((repo) => repo.installationId === installationId);
  }

  /** The permission a user has on a repository; owners of the account are admins. */
  permission(repo: RepoRecord, login: string): Permission {
    if (login.toLowerCase() === repo.owner.login.toLowerCase()) return "admin";
    return repo.collaborators.get(login.toLowerCase()) ?? (repo.private ? "none" : "read");
  }

  setPermission(repo: RepoRecord, login: string, permission: Permission): void {
    this.user(login);
    repo.collaborators.set(login.toLowerCase(), permission);
  }

  issueToken(installationId: number): TokenRecord {
    const token: TokenRecord = {
      token: `ghs_${randomBytes(18).toString("base64url")}`,
      installationId,
      expiresAt: Date.now() + TOKEN_LIFETIME_MS,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /**
   * Revokes every installation token issued so far (an App process was killed; its tokens die with it).
   * Tokens issued afterwards work. Returns how many were revoked.
   */
  revokeInstallationTokens(): number {
    let count = 0;
    for (const token of this.tokens.values()) {
      if (token.revoked) continue;
      token.revoked = true;
      count += 1;
    }
    return count;
  }

  /** Is this `Authorization` header an installation token that was revoked? */
  carriesRevokedToken(header: string | undefined): boolean {
    const credential = /^(?:bearer|token)\s+(\S+)$/i.exec(header ?? "")?.[1];
    return credential !== undefined && this.tokens.get(credential)?.revoked === true;
  }

  userToken(login: string): string {
    const token = `ghp_${randomBytes(18).toString("base64url")}`;
    this.userTokens.set(token, this.user(login));
    return token;
  }
}
