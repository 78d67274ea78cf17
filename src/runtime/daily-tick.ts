/**
 * The daily tick inside the App: once a day (and at start-up when the day's time has passed) every installed
 * repository gets a queued job that runs the tick for it. The job's key is the repository, so it waits
 * behind that repository's webhooks; a repository without a usable config is left alone.
 */
import type { Log } from "../log.js";
import type { Probot } from "probot";
import { DailyScheduler, type DailySchedulerOptions } from "../calendar/scheduler.js";
import type { IsoDate } from "../engine/types.js";
import { forEachInstalledRepository } from "./fan-out.js";
import type { RepoJob } from "./jobs.js";

export interface DailyTickOptions<Handle = unknown> {
  enqueueRepo: (job: RepoJob) => Promise<void>;
  /** The App's idea of today (the job's `env.today`); the scheduler's clock is `now`. */
  today: () => IsoDate;
  /** UTC "HH:MM". */
  time: string;
  log: Log;
  /** Injected in tests; real clock and timers otherwise. */
  now?: DailySchedulerOptions<Handle>["now"];
  setTimer?: DailySchedulerOptions<Handle>["setTimer"];
  clearTimer?: DailySchedulerOptions<Handle>["clearTimer"];
}

/** One job per installed repository for `day`; a repository already ticked that day in this process is skipped. */
export async function fanOutTick(app: Probot, enqueueRepo: (job: RepoJob) => Promise<void>, day: IsoDate, log: Log): Promise<number> {
  let repositories = 0;
  await forEachInstalledRepository(app, ({ owner, repo, defaultBranch, installationId, octokit, readConfig }) => {
    repositories++;
    return enqueueRepo({
      owner, repo, installationId, octokit, readConfig, log,
      deliveryKey: `tick:${day}:${owner}/${repo}`, name: `daily tick ${day}`, coalesce: "daily tick",
      call: { workflow: "daily-tick", input: { defaultBranch } },
    });
  });
  return repositories;
}

/** Starts the daily tick; stop it with the returned scheduler's `stop()`. */
export function startDailyTick<Handle = unknown>(app: Probot, options: DailyTickOptions<Handle>): DailyScheduler<Handle> {
  const log = options.log.child({ job: "daily tick" });
  const scheduler = new DailyScheduler<Handle>({
    time: options.time,
    log,
    run: async (day) => {
      const repositories = await fanOutTick(app, options.enqueueRepo, day, log);
      log.info({ day, repositories }, "daily tick: a job queued per installed repository");
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.setTimer ? { setTimer: options.setTimer } : {}),
    ...(options.clearTimer ? { clearTimer: options.clearTimer } : {}),
  });
  scheduler.start();
  return scheduler;
}
