import * as tls from 'node:tls';

/**
 * Whether `host:port` completes a TLS handshake. Only used after a plain-text gRPC call failed
 * on a port that accepted the connection, to tell "this is a TLS server" from "this is not gRPC".
 * The certificate is not checked here: the question is only whether the server speaks TLS.
 */
export function speaksTls(target: string, timeoutMs: number): Promise<boolean> {
  const colon = target.lastIndexOf(':');
  if (target.startsWith('unix:') || colon < 0) return Promise.resolve(false);
  const host = target.slice(0, colon).replace(/^\[|\]$/g, '');
  const port = Number(target.slice(colon + 1));
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, rejectUnauthorized: false, ALPNProtocols: ['h2'] });
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), Math.min(timeoutMs, 3000));
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
  });
}
