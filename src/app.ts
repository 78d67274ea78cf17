/** The Probot App factory: everything the App needs comes in through `deps`; nothing runs at import. */
import type { ApplicationFunction } from "probot";

export interface AppDeps {
  /** Today's UTC day; injected so tests and the sandbox control the clock. */
  today: () => string;
}

export const defaultDeps: AppDeps = {
  today: () => new Date().toISOString().slice(0, 10),
};

export function createApp(deps: AppDeps = defaultDeps): ApplicationFunction {
  return (app) => {
    app.log.info({ today: deps.today() }, "lts-steward loaded");
  };
}
