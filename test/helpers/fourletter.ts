// Four-letter words over a raw socket, the way operators' tools (and kazoo's server_version) ask:
// write the word, read until the server closes the connection.
import { connect } from 'node:net';

export function fourLetter(host: string, port: number, word: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host, port }, () => sock.write(word));
    sock.setTimeout(timeoutMs, () => sock.destroy(new Error(`${word}: no answer in ${timeoutMs} ms`)));
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', reject);
    sock.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}
