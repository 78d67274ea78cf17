/**
 * Reading the App's state back from a body: the last embedded state, validated by the schema of its kind.
 * A body without state, with state that does not decode, or with state of another shape reads as nothing.
 */
import type { z } from "zod";
import { readEmbedded } from "./markers.js";

export function readState<S extends z.ZodType>(body: string | null, schema: S): z.output<S> | null {
  const raw = readEmbedded(body);
  if (raw === null) return null;
  const parsed = schema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
