/** This process's name in the cluster: host, pid and a random part (a restarted pid is a new process). */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export function newProcessId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
