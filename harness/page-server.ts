/**
 * A web site for the pages the tests right-click, capture or send: plain HTTP on a free port of a
 * loopback address, answering each request with `handler`, or with one HTML page for any path.
 */
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PageServer {
  /** `http://host:port`, without a trailing slash. */
  origin: string;
  close(): Promise<void>;
}

export async function startPageServer(handler: RequestListener | string, host = '127.0.0.1'): Promise<PageServer> {
  const listener: RequestListener =
    typeof handler === 'string' ? (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(handler) : handler;
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    origin: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
