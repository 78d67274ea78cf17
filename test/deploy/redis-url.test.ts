/** REDIS_URL: unset runs in one process; a redis:// or rediss:// URL is taken as is; anything else is a ConfigError naming it. */
import { ConfigError, readRedisUrl } from "../../src/settings.js";

test.each([
  [undefined, null],
  ["", null],
  ["redis://localhost:6379", "redis://localhost:6379"],
  [" rediss://user:secret@redis.example.com:6380/2 ", "rediss://user:secret@redis.example.com:6380/2"],
])("REDIS_URL=%j → %j", (raw, expected) => {
  expect(readRedisUrl({ REDIS_URL: raw })).toBe(expected);
});

test.each(["localhost:6379", "http://localhost:6379", "redis://"])("REDIS_URL=%j is refused, naming the variable", (raw) => {
  expect(() => readRedisUrl({ REDIS_URL: raw })).toThrow(ConfigError);
  expect(() => readRedisUrl({ REDIS_URL: raw })).toThrow(/REDIS_URL/);
});
