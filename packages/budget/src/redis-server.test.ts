import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { startRedisServer } from './redis-server.js';
import { redisSkipReason } from './test-support/redis-skip-reason.js';

const skip = redisSkipReason();

describe('startRedisServer', () => {
  it.skipIf(skip !== undefined)('Should start a server that answers on its URL, and stop it', async () => {
    const server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const redis = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await redis.connect();
    expect(await redis.ping()).toBe('PONG');
    // Nothing is saved to disk.
    expect(await redis.config('GET', 'save')).toEqual(['save', '']);
    redis.disconnect();
    await server.stop();
    const after = new Redis(server.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    after.on('error', () => {});
    await expect(after.connect()).rejects.toThrow();
    after.disconnect();
  });

  it('Should reject with an error naming the command when it cannot be run', async () => {
    await expect(startRedisServer({ command: 'redis-server-that-is-not-installed' })).rejects.toThrow(
      /could not run "redis-server-that-is-not-installed"/,
    );
  });
});
