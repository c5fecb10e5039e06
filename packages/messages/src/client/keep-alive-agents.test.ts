import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { httpFetch } from './http-fetch.js';
import { keepAliveAgents } from './keep-alive-agents.js';

const body = '{"ok":true}';
const answer = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;

describe('keepAliveAgents', () => {
  it('Should drop a kept socket the moment the server closes it, so the next request gets a new connection', async () => {
    // The server answers each request and closes the connection, saying nothing of it (no `connection: close`).
    const connections: Socket[] = [];
    const server = createServer((socket) => {
      connections.push(socket);
      socket.on('error', () => undefined);
      socket.on('data', () => socket.end(answer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      await (await httpFetch(url, { method: 'POST', body: 'first' })).text();
      const pool = keepAliveAgents['http:'].freeSockets;
      const kept = Object.values(pool).flat()[0] as Socket;
      expect(kept).toBeDefined();
      // Ask again the moment the close is read, before Node's pool drops the socket on its own.
      const second = await new Promise<Response>((resolve, reject) =>
        kept.once('end', () => httpFetch(url, { method: 'POST', body: 'second' }).then(resolve, reject)),
      );
      expect(await second.text()).toBe(body);
      expect(connections).toHaveLength(2);
    } finally {
      for (const socket of connections) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
