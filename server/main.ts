/** Process entry: load the configuration, build the app, listen, shut down gracefully. */
import { buildApp } from './app.js';
import { createLogger } from './logger.js';
import { configOrExit, runMain, stopOnSignals } from './process-lifecycle.js';

runMain('telepets', async () => {
  const config = configOrExit();
  const logger = createLogger(config);
  const app = await buildApp(config, { logger });
  await app.start();
  stopOnSignals(logger, () => app.stop());
});
