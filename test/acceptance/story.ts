/**
 * The acceptance stories' common start: the sandbox living on one day (at the real time of day, so that
 * waits and pacing still see time pass) with the Wasmtime-like repository seeded through that day.
 */
import { Sandbox } from "../../sandbox/sandbox.js";
import type { RepoRecord } from "../../sandbox/state/types.js";

export async function startSandboxOn(day: string): Promise<{ sandbox: Sandbox; repo: RepoRecord }> {
  const sandbox = await Sandbox.start({ now: () => new Date(`${day}T${new Date().toISOString().slice(11)}`) });
  const { repo } = await sandbox.seedWasmtime({ through: day });
  return { sandbox, repo };
}
