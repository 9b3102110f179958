// Free TCP ports on 127.0.0.1 for servers that cannot listen on port 0 themselves (Apache
// ZooKeeper reads its clientPort from zoo.cfg). The port is released before use, so a caller that
// loses the race must retry with a new one.
import { createServer } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** A port the kernel just handed out on 127.0.0.1 and that is free again. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
