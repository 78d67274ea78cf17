/**
 * A git repository shaped like a large project's clone, generated in seconds with `git fast-import`: a default
 * branch that moves every day, one major line a month on the Wasmtime calendar (branch `release-N.0.0`
 * cut on the 5th with a version-bump commit, `vN.0.0` on the 20th, patch releases while the line is
 * supported), and thousands of other refs (`refs/pull/<n>/head`, nightly tags) up to `refs` in all, packed as
 * a fetched clone's are. Some cuts happen late or early, as real ones do, so that a branch's cut day cannot be
 * read off its fork point. Used by the CLI's large-clone test and `bench/cli.bench.ts`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { addDaysTo, addDuration } from "../src/engine/dates.js";
import type { IsoDate } from "../src/engine/types.js";

export interface LargeClone {
  dir: string;
  /** Release branch → the day it was really cut. */
  cuts: Map<string, IsoDate>;
  /** Release tags made, and the newest one's day. */
  tags: number;
  newestTag: IsoDate;
  refs: number;
}

export interface LargeCloneOptions {
  dir: string;
  /** The first line, released a month after the history starts. */
  firstMajor?: number;
  /** The last line whose branch is cut. */
  lastMajor?: number;
  /** Refs in all (release branches and tags included). */
  refs?: number;
}

const ANCHOR = { major: 20, date: "2024-04-20" as IsoDate };
const MONTH = { amount: 1, unit: "month" } as const;
const releaseDay = (major: number) => addDuration(ANCHOR.date, MONTH, major - ANCHOR.major);
/** The day of the month a line's branch is really cut: the 5th, except a few lines cut late or early. */
const cutDayOf = (major: number) => (major % 7 === 3 ? 8 : major % 11 === 4 ? 3 : 5);
const epoch = (day: IsoDate, hour: number) => Math.floor(Date.parse(`${day}T${String(hour).padStart(2, "0")}:00:00Z`) / 1000);

export function generateLargeClone(options: LargeCloneOptions): LargeClone {
  const firstMajor = options.firstMajor ?? 8;
  const lastMajor = options.lastMajor ?? 48;
  const totalRefs = options.refs ?? 10_000;
  const start = addDaysTo(releaseDay(firstMajor), -40);
  const end = addDaysTo(releaseDay(lastMajor), 10);
  const out: string[] = [];
  let mark = 0;
  const blob = (text: string) => {
    const data = Buffer.byteLength(text);
    out.push(`blob\nmark :${++mark}\ndata ${data}\n${text}\n`);
    return mark;
  };
  const commit = (ref: string, options: { when: number; message: string; from?: number; file: string; text: string }) => {
    const content = blob(options.text);
    const message = `${options.message}\n`;
    out.push(
      `commit ${ref}\nmark :${++mark}\ncommitter Dev <dev@example.com> ${options.when} +0000\ndata ${Buffer.byteLength(message)}\n${message}` +
        (options.from ? `from :${options.from}\n` : "") +
        `M 100644 :${content} ${options.file}\n\n`,
    );
    return mark;
  };
  const cuts = new Map<string, IsoDate>();
  const mainCommits: { day: IsoDate; mark: number }[] = [];
  let head = 0;
  let tags = 0;
  let newestTag = start;
  // The default branch, a commit every day at 14:00; branches are cut at 10:00 on their day.
  const cutOn = new Map<IsoDate, number>();
  for (let major = firstMajor; major <= lastMajor; major++) {
    const release = releaseDay(major);
    cutOn.set(`${release.slice(0, 8)}${String(cutDayOf(major)).padStart(2, "0")}` as IsoDate, major);
  }
  const lines: { major: number; branch: string; mark: number }[] = [];
  for (let day = start; day <= end; day = addDaysTo(day, 1)) {
    const major = cutOn.get(day);
    if (major !== undefined && head !== 0) {
      const branch = `release-${major}.0.0`;
      const bump = commit(`refs/heads/${branch}`, { when: epoch(day, 10), message: `Bump version to ${major}.0.0`, from: head, file: "Cargo.toml", text: `version = "${major}.0.0"\n` });
      lines.push({ major, branch, mark: bump });
      cuts.set(branch, day);
    }
    head = commit("refs/heads/main", { when: epoch(day, 14), message: `Change of ${day}`, ...(head ? { from: head } : {}), file: "src/lib.rs", text: `// ${day}\n` });
    mainCommits.push({ day, mark: head });
  }
  // Releases: N.0.0 on the 20th, then a patch every two weeks for two months (LTS lines, every 12th from 24: two years).
  for (const line of lines) {
    let tip = line.mark;
    const lts = line.major >= 24 && (line.major - 24) % 12 === 0;
    const until = addDuration(releaseDay(line.major), MONTH, lts ? 24 : 2);
    let patch = 0;
    for (let day = releaseDay(line.major); day <= until && day <= end; day = addDaysTo(day, 14)) {
      tip = commit(`refs/heads/${line.branch}`, { when: epoch(day, 9), message: `Release ${line.major}.0.${patch}`, from: tip, file: "RELEASES.md", text: `${line.major}.0.${patch}\n` });
      out.push(`reset refs/tags/v${line.major}.0.${patch}\nfrom :${tip}\n\n`);
      tags++;
      if (day > newestTag) newestTag = day;
      patch++;
    }
  }
  let refs = 1 + lines.length + tags;
  // Other refs up to the total: nightly tags and pull request heads on the default branch's commits.
  for (let i = 0; refs < totalRefs; i++, refs++) {
    const target = mainCommits[(i * 7919) % mainCommits.length]!;
    out.push(i % 10 === 0 ? `reset refs/tags/nightly-${i}\nfrom :${target.mark}\n\n` : `reset refs/pull/${i}/head\nfrom :${target.mark}\n\n`);
  }
  execFileSync("git", ["init", "-q", "--bare", "-b", "main", options.dir]);
  const imported = spawnSync("git", ["-C", options.dir, "fast-import", "--quiet"], { input: out.join(""), maxBuffer: 256 * 1024 * 1024 });
  if (imported.status !== 0) throw new Error(`git fast-import failed: ${imported.stderr.toString()}`);
  execFileSync("git", ["-C", options.dir, "pack-refs", "--all"]);
  return { dir: options.dir, cuts, tags, newestTag, refs };
}
