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
  // Other tiers, each with its own command: the Redis tier needs a redis-server (`npm run test:redis`) and the
  // browser tier a Chromium (`npm run test:browser`); the App end to end against the sandbox (`*.e2e.test.ts`,
  // `npm run test:e2e`) and the acceptance stories (`npm run test:acceptance`) take minutes. What stays here
  // runs in under two minutes on two cores.
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/redis/", "<rootDir>/test/browser/", "<rootDir>/test/acceptance/", "\\.e2e\\.test\\.ts$"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, tsconfig: { isolatedModules: true } }],
  },
};
