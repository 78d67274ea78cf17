/** The JSON Schema editors use for `.github/lts-steward.yml`, generated from the zod schema. */
import { z } from "zod";
import { configSchema } from "./schema.js";

export function configJsonSchema(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...schema, title: "lts-steward configuration" }, null, 2)}\n`;
}
