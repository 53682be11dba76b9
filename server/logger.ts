/**
 * Structured logging with pino: one JSON object per line, plain text. Libraries that log
 * through us (Colyseus) get their messages stripped of emoji.
 */
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'telepets' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}

const EMOJI = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]|\u{FE0F}|\u{200D}/gu;

const plain = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a.replace(EMOJI, '').trim() : a));

/** A Colyseus-compatible logger (console-like methods) writing through pino. */
export function colyseusLogger(logger: Logger) {
  const child = logger.child({ component: 'colyseus' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = plain(args);
    if (first instanceof Error) child[level]({ err: first }, rest.map(String).join(' '));
    else child[level]([first, ...rest].map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error'), trace: write('debug') };
}
