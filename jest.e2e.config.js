/**
 * The end-to-end tier (`npm run test:e2e`, run by `.ci/run` on Node 20 and Node 24): the App as a whole
 * against the sandbox (a real Probot, real git, GitHub's REST contract), the demo, the built output and the
 * server as a process. Files named `*.e2e.test.ts`, next to the unit and workflow tests of the same part.
 */
import base from "./jest.config.js";

export default { ...base, testPathIgnorePatterns: ["/node_modules/"], testMatch: ["**/test/**/*.e2e.test.ts"] };
