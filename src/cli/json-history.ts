/** The `--releases file.json` history: `{"releases":[{"version","date"}],"branches":[{"name","createdAt"}]}`. */
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { isIsoDate } from "../engine/dates.js";
import type { ReleaseHistory } from "../engine/types.js";
import { CliError } from "./errors.js";

const day = z.string().refine(isIsoDate, "expected YYYY-MM-DD");
const historySchema = z.strictObject({
  releases: z.array(z.strictObject({ version: z.string().min(1), date: day })).default([]),
  branches: z.array(z.strictObject({ name: z.string().min(1), createdAt: day.nullable().optional() })).default([]),
});

export function parseJsonHistory(text: string, source: string): ReleaseHistory {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const result = historySchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? issue.path.join(".") : "(file)";
    throw new CliError(`${source}: ${where}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

export async function readJsonHistory(path: string): Promise<ReleaseHistory> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new CliError(`cannot read release history ${path}`);
  }
  return parseJsonHistory(text, path);
}
