/**
 * The browser tier (`npm run test:browser`, run by `.ci/run`, which installs Debian's `chromium` when it is
 * missing): the real App as its own process against the sandbox, and its status page in a real headless
 * Chromium driven by playwright-core (test/browser/). One file at a time: a browser and an App each.
 */
import base from "./jest.config.js";

export default { ...base, maxWorkers: 1, testPathIgnorePatterns: ["/node_modules/"], testMatch: ["**/test/browser/**/*.test.ts"] };
