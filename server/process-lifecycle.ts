/**
 * What the server and the image worker do as processes: read the configuration (a bad one
 * exits 2 with the reason), stop gracefully on SIGTERM/SIGINT (forced after a deadline), log
 * uncaught errors instead of dying, and exit 1 when starting fails.
 */
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config, type ConfigPurpose } from './config.js';

/**
 * The configuration from the environment; an invalid one ends the process with exit code 2
 * and one plain-text line naming every problem (no stack: it is the operator's to fix).
 */
export function configOrExit(purpose: ConfigPurpose = 'server'): Config {
  try {
    return loadConfig(undefined, purpose);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.oneLine()}. See .env.example for every variable and its default.\n`);
      process.exit(2);
    }
    throw err;
  }
}

/** Stops once on SIGTERM or SIGINT (exit 0, or 1 if stopping fails or takes over `forceAfterMs`). */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>, forceAfterMs = 25_000): void {
  let stopping = false;
  const onSignal = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, forceAfterMs);
    force.unref();
    stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
}

/** Runs the process's `main`; a failure to start is written to stderr and exits 1. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    process.stderr.write(`${name} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
