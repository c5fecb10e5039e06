/**
 * Whether this suite's Redis tests run: without the binary they skip with a clear reason locally; in CI
 * (`CI=true`) a missing redis-server is a failure.
 * @module
 */
import { isRedisServerInstalled } from '@loopguard/budget/redis-server';

/** Why Redis tests are skipped, or undefined when they run. Throws in CI when redis-server is missing. */
export function redisSkipReason(): string | undefined {
  if (isRedisServerInstalled()) return undefined;
  if (process.env.CI)
    throw new Error(
      'redis-server is not installed, and CI=true: .ci/run must install it (apt-get install -y redis-server).',
    );
  const reason =
    'redis-server is not installed: the Redis ledger tests are skipped (apt-get install -y redis-server to run them).';
  console.warn(reason);
  return reason;
}
