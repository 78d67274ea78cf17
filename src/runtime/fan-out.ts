/**
 * Work that is not about one repository (a global advisory, the daily tick) reaches every repository the
 * App is installed on: list the App's installations, then each installation's repositories, and visit
 * each one that is not archived with an installation client and a config reader.
 */
import type { Probot } from "probot";
import type { OctokitLike } from "../github/octokit-port.js";
import { createConfigReader, type ConfigReader } from "./repo-config.js";

/** An installation's Octokit as Probot builds it: what we use of it, `request` and `paginate`. */
export type InstallationOctokit = OctokitLike & {
  paginate: (route: string, params?: Record<string, unknown>) => Promise<unknown[]>;
};

export interface InstalledRepository {
  owner: string;
  repo: string;
  defaultBranch: string;
  installationId: number;
  octokit: InstallationOctokit;
  readConfig: ConfigReader;
}

interface RawInstallation {
  id: number;
  suspended_at?: string | null;
}

interface RawRepository {
  name: string;
  owner: { login: string };
  default_branch: string;
  archived?: boolean;
}

/**
 * Reads `.github/<file>` with the App's bounded reader (src/runtime/repo-config.ts: `_extends` and an
 * organisation's `.github` repository work); null when the file does not exist.
 */
export function configReader(octokit: OctokitLike, owner: string, repo: string): ConfigReader {
  return createConfigReader({ octokit, owner, repo });
}

/**
 * Visits every non-archived repository of every installation that is not suspended, one at a time. A
 * failure (an installation whose repositories cannot be listed, a visit that throws) does not stop the
 * others: everything else is visited, then the failure is thrown (an `AggregateError` when there were several).
 */
export async function forEachInstalledRepository(app: Probot, visit: (repo: InstalledRepository) => void | Promise<void>): Promise<void> {
  const appOctokit = (await app.auth()) as unknown as InstallationOctokit;
  const installations = (await appOctokit.paginate("GET /app/installations", { per_page: 100 })) as RawInstallation[];
  const failures: unknown[] = [];
  for (const installation of installations.filter((i) => !i.suspended_at)) {
    let octokit: InstallationOctokit;
    let repositories: RawRepository[];
    try {
      octokit = (await app.auth(installation.id)) as unknown as InstallationOctokit;
      repositories = (await octokit.paginate("GET /installation/repositories", { per_page: 100 })) as RawRepository[];
    } catch (error) {
      failures.push(error);
      continue;
    }
    for (const repository of repositories.filter((r) => !r.archived)) {
      const owner = repository.owner.login;
      try {
        await visit({
          owner, repo: repository.name, defaultBranch: repository.default_branch, installationId: installation.id, octokit,
          readConfig: configReader(octokit, owner, repository.name),
        });
      } catch (error) {
        failures.push(error);
      }
    }
  }
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) throw new AggregateError(failures, `${failures.length} installations could not be visited`);
}
