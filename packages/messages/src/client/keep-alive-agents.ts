/**
 * `keepAliveAgents`: the connection pools `httpFetch` sends on, one for `http:` and one for `https:`.
 * @module
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Duplex } from 'node:stream';

/** Sockets already watched for the server's close (a socket is kept alive again after every exchange). */
const watched = new WeakSet<Duplex>();

/**
 * Destroys a kept socket as soon as the server's close is read. Node's pool drops a socket only once it is
 * closed on both sides, a little later: a request made in between would be handed the half-closed socket and
 * fail ("socket hang up") though nothing was wrong. Destroyed at once, it is skipped and a new connection is
 * made. (A request sent before the close arrives still meets it: that failure is the client's to retry.)
 */
function watchClose(socket: Duplex): void {
  if (watched.has(socket)) return;
  watched.add(socket);
  socket.once('end', () => socket.destroy());
}

/** Node's keep-alive pool for `http:` (its defaults, as `http.globalAgent`), closing sockets the server closed. */
class ClosingHttpAgent extends HttpAgent {
  override keepSocketAlive(socket: Duplex) {
    watchClose(socket);
    return super.keepSocketAlive(socket);
  }
}

/** The same for `https:`. */
class ClosingHttpsAgent extends HttpsAgent {
  override keepSocketAlive(socket: Duplex) {
    watchClose(socket);
    return super.keepSocketAlive(socket);
  }
}

/**
 * The pools, one per protocol, shared by every client in the process (as Node's global agents are, but
 * not those: the app's own requests are left as they are). Keep-alive on, an idle socket kept 5 s at most
 * (less when the server's `keep-alive: timeout=N` says so).
 */
export const keepAliveAgents = {
  'http:': new ClosingHttpAgent({ keepAlive: true, timeout: 5000 }),
  'https:': new ClosingHttpsAgent({ keepAlive: true, timeout: 5000 }),
} as const;
