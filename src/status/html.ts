/**
 * HTML that escapes by default: `html` is a tagged template whose every interpolation is escaped unless it
 * is itself `Html` (built by `html`), so a title, a branch name or an error message from anyone can never
 * open a tag, an attribute or a script. Links go only to http(s) addresses and to the page's own paths.
 */

/** A fragment already escaped (or built from escaped parts). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text as HTML text or a quoted attribute value. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return "";
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join("");
  return escapeHtml(String(part));
}

export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < parts.length ? render(parts[i]!) : ""), ""));
}

/** An address a link may point to: http(s) (GitHub's pages), or a path of this server. */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  if (/^\/[^/\\]/.test(url) && !/[\s"'<>]/.test(url)) return url;
  return /^https?:\/\/[^\s"'<>\\]+$/.test(url) ? url : null;
}

/** A link when the address is safe, else the text alone. */
export const link = (url: string | null | undefined, text: Part): Html => {
  const href = safeHref(url);
  return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
};
