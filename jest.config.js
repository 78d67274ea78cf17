/** Jest in ESM mode: ts-jest transpiles only (isolatedModules); `npm run typecheck` type-checks. */
import { availableParallelism } from "node:os";

export default {
  testEnvironment: "node",
  // Most tests wait on git processes and local HTTP, not the CPU: at least two workers, even on a two-core
  // machine (jest would otherwise use cores - 1 = one there).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  // Tests wait for conditions, not for time: this is only the limit after which a hung test is reported, set
  // far above what a loaded two-core machine needs so that load alone never fails a test.
  testTimeout: 120_000,
  extensionsToTreatAsEsm: [".ts"],
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // The Redis tier needs a redis-server: `npm run test:redis` (jest.redis.config.js) runs it.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/redis/", "<rootDir>/test/acceptance/"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: { isolatedModules: true } }],
  },
};
