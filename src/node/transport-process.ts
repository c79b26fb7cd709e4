// A Transport to a child process speaking the protocol on stdin/stdout
// (the host build of the board server, firmware/host/rpc_server.c). Its
// stderr is kept: a sanitizer report there explains a dead link.
import { spawn } from 'node:child_process';
import type { Transport } from '../core/transport/transport.ts';
import { streamTransport } from './transport-stream.ts';

export interface ProcessTransport extends Transport {
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code (or signal name) once the process ends. */
  readonly exited: Promise<number | string>;
}

export function spawnTransport(
  command: string,
  args: readonly string[] = [],
  killAfterMs = 2000,
): ProcessTransport {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (err += s));
  const t = streamTransport(child.stdout, child.stdin, {
    // End of input asks the process to exit; a process that ignores it is
    // killed after a grace period.
    dispose: () => {
      child.stdin.end();
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill(), killAfterMs);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    },
  });
  const exited = new Promise<number | string>((resolve) => {
    child.on('error', (e) => {
      t.end(e);
      resolve(e.message);
    });
    child.on('exit', (code, signal) => {
      const how = code ?? signal ?? 'unknown';
      // stdout may still hold the last frames: end once it has drained.
      const ended = (): void => t.end(new Error(`${command} exited (${how})`));
      if (child.stdout.closed) ended();
      else child.stdout.once('close', ended);
      resolve(how);
    });
  });
  return { ...t, stderr: () => err, exited };
}
