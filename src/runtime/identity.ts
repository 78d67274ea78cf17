/**
 * Who the App is on GitHub: its bot login (`<slug>[bot]`), from `GET /app` with the App's own JWT. The state
 * layer trusts only records this login authored. Asked once per process; a failed ask is asked again later.
 */
export const botLoginOf = (slug: string): string => `${slug}[bot]`;

interface AppAuth {
  auth(): Promise<unknown>;
}

export function appIdentity(app: AppAuth, known?: string): () => Promise<string> {
  if (known) return async () => known;
  let login: Promise<string> | null = null;
  return () => {
    login ??= (async () => {
      const octokit = (await app.auth()) as { request(route: string): Promise<{ data: { slug?: string } }> };
      const { data } = await octokit.request("GET /app");
      if (!data.slug) throw new Error("GitHub did not say the App's slug (GET /app)");
      return botLoginOf(data.slug);
    })().catch((error: unknown) => {
      login = null;
      throw error;
    });
    return login;
  };
}
