/**
 * The acceptance tier (`npm run test:acceptance`, run by `.ci/run`): end-to-end stories that take minutes
 * (GitHub losing answers on a third of writes, the App killed after a write, recovery after a restart,
 * shadow mode through a whole story). `npm test` leaves them out to stay under two minutes.
 */
import base from "./jest.config.js";

// Stories of many steps: the limit after which a hung one is reported is higher than npm test's.
export default { ...base, testTimeout: 600_000, testPathIgnorePatterns: ["/node_modules/"], testMatch: ["**/test/acceptance/**/*.test.ts"] };
