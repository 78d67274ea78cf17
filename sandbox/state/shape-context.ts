/** The ShapeContext for a sandbox served at `origin`: URLs, and users and the App from the store. */
import type { ShapeContext } from "../shapes/index.js";
import type { Store } from "./store.js";

export function shapeContextOf(store: Store, origin: string): ShapeContext {
  return {
    apiUrl: `${origin}/api/v3`,
    webUrl: origin,
    app: store.app,
    lookupUser: (login) => store.users.get(login.toLowerCase()),
  };
}
