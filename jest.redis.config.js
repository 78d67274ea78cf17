/** The Redis tier (`npm run test:redis`): tests against a real redis-server they start themselves (test/redis/). */
import base from "./jest.config.js";

export default { ...base, maxWorkers: 1, testPathIgnorePatterns: [], testMatch: ["**/test/redis/**/*.test.ts"] };
