/** Matches concrete request paths against GitHub's path templates. */

export interface RouteMatch {
  operationId: string;
  template: string;
  params: Record<string, string>;
}

export interface RouteDefinition {
  operationId: string;
  method: string;
  template: string;
}

interface CompiledRoute extends RouteDefinition {
  pattern: RegExp;
  names: string[];
  literalSegments: number;
  greedyParams: number;
  segments: number;
}

/**
 * Params whose values may contain `/` when a client does not percent-encode them: git refs and branch
 * names (`heads/lts-steward/backport/36.0.x/pr-5`), file paths, tags, `base...head`, label names.
 * They match lazily across segments, so a literal suffix such as `/dispatches` still anchors the match.
 */
const MULTI_SEGMENT_PARAMS = new Set(["ref", "path", "branch", "tag", "base", "head", "basehead", "name", "workflow_id"]);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compileRoute(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  let greedyParams = 0;
  let literalSegments = 0;
  const segments = route.template.split("/").slice(1);
  const parts = segments.map((segment) => {
    if (!segment.includes("{")) literalSegments += 1;
    // A segment may mix literals and params, e.g. `{base}...{head}`.
    return segment
      .split(/(\{[^}]+\})/)
      .filter((piece) => piece !== "")
      .map((piece) => {
        const name = /^\{([^}]+)\}$/.exec(piece)?.[1];
        if (name === undefined) return escapeRegExp(piece);
        names.push(name);
        if (!MULTI_SEGMENT_PARAMS.has(name)) return "([^/]+)";
        greedyParams += 1;
        return "(.+?)";
      })
      .join("");
  });
  const pattern = new RegExp(`^/${parts.join("/")}$`);
  return { ...route, pattern, names, literalSegments, greedyParams, segments: segments.length };
}

/** Most specific first: more literal segments, then fewer multi-segment params, then longer templates. */
function bySpecificity(a: CompiledRoute, b: CompiledRoute): number {
  return (
    b.literalSegments - a.literalSegments ||
    a.greedyParams - b.greedyParams ||
    b.segments - a.segments ||
    (a.template < b.template ? -1 : a.template > b.template ? 1 : 0)
  );
}

const decode = (raw: string): string => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // Malformed escapes are passed through; the handler will not find such a resource anyway.
  }
};

export class RouteMatcher {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(routes: readonly RouteDefinition[]) {
    for (const route of routes) {
      const method = route.method.toUpperCase();
      const list = this.byMethod.get(method) ?? [];
      list.push(compileRoute({ ...route, method }));
      this.byMethod.set(method, list);
    }
    for (const list of this.byMethod.values()) list.sort(bySpecificity);
  }

  /** `pathname` is the raw (still percent-encoded) path without query string or `/api/v3` prefix. */
  match(method: string, pathname: string): RouteMatch | null {
    const upper = method.toUpperCase();
    // GitHub answers HEAD wherever it answers GET.
    const candidates = this.byMethod.get(upper) ?? (upper === "HEAD" ? this.byMethod.get("GET") : undefined) ?? [];
    for (const route of candidates) {
      const found = route.pattern.exec(pathname);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => {
        params[name] = decode(found[index + 1] ?? "");
      });
      return { operationId: route.operationId, template: route.template, params };
    }
    return null;
  }
}
