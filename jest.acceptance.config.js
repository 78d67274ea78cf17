/**
 * The acceptance tier (`npm run test:acceptance`, run by `.ci/run`): end-to-end stories that take minutes
 * (GitHub losing answers on a third of writes, the App killed after a write, recovery after a restart,
 * shadow mode through a whole story). `npm test` leaves them out to stay under two minutes.
 */
import base from "./jest.config.js";

export default { ...base, testPathIgnorePatterns: ["/node_modules/"], testMatch: ["**/test/acceptance/**/*.test.ts"] };
