/** The shape of `github-rest-subset.json`, written by `scripts/generate-openapi-subset.ts`. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface SubsetParameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  schema: Json;
}

export interface SubsetOperation {
  operationId: string;
  /** Upper case, e.g. `POST`. */
  method: string;
  /** GitHub's path template, e.g. `/repos/{owner}/{repo}/pulls`. */
  path: string;
  parameters: SubsetParameter[];
  requestBody?: { required: boolean; schema: Json };
  /** 2xx statuses only; `schema` is absent when GitHub answers without a JSON body (e.g. 204). */
  responses: Record<string, { schema?: Json }>;
}

export interface OpenApiSubset {
  source: { package: string; version: string; file: string; openapi: string };
  operations: Record<string, SubsetOperation>;
  /** Component schemas reachable from `operations`; refs stay `#/components/schemas/<name>`. */
  components: { schemas: Record<string, Json> };
}
