/** The Probot App factory: everything the App needs comes in through `deps`; nothing runs at import. */
import type { ApplicationFunction } from "probot";
import { toIsoDay } from "./engine/dates.js";

export interface AppDeps {
  /** Today's UTC day; injected so tests and the sandbox control the clock. */
  today: () => string;
}

export const defaultDeps: AppDeps = {
  today: () => toIsoDay(new Date()),
};

export function createApp(deps: AppDeps = defaultDeps): ApplicationFunction {
  return (app) => {
    app.log.info({ today: deps.today() }, "lts-steward loaded");
  };
}
