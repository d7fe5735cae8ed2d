import type { Server } from "node:http";

/**
 * Node closes an idle keep-alive socket after 5 s, which races a client (a proxy, Playwright's
 * request pool) reusing it at that moment: the client sees ECONNRESET. Idle sockets stay open
 * longer than common clients and load balancers keep them (60 s), so the client always closes first.
 */
export function keepIdleConnectionsOpen(server: Server) {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
}
