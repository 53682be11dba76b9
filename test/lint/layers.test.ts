import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

/** Lints `code` as if it lived at `filePath` and returns the rule ids that fired. */
async function rulesFor(filePath: string, code: string): Promise<string[]> {
  // The probes are virtual files: lint them with the project's config minus the type-aware
  // rules (which need files on disk); the layer rules are all syntactic.
  const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: tseslint.configs.disableTypeChecked });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? 'parse');
}

describe('layer boundaries are enforced by lint', function () {
  this.timeout(60_000);

  it('stops sim from importing the server, Node or other packages', async () => {
    assert.ok((await rulesFor('sim/x.ts', "import { buildApp } from '../server/app.js';\nexport const a = buildApp;\n")).includes('no-restricted-imports'));
    assert.ok((await rulesFor('sim/systems/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).includes('no-restricted-imports'));
    assert.ok((await rulesFor('sim/x.ts', "import { Type } from 'typebox';\nexport const a = Type;\n")).includes('no-restricted-imports'));
  });

  it('lets sim import shared and bitecs', async () => {
    const fired = await rulesFor('sim/x.ts', "import { query } from 'bitecs';\nimport { STAGES } from '../shared/balance.js';\nexport const a = [query, STAGES];\n");
    assert.ok(!fired.includes('no-restricted-imports'), fired.join(','));
  });

  it('keeps the wall clock and Math.random out of sim', async () => {
    assert.ok((await rulesFor('sim/x.ts', 'export const t = Date.now();\n')).includes('no-restricted-globals'));
    assert.ok((await rulesFor('sim/x.ts', 'export const r = Math.random();\n')).includes('no-restricted-properties'));
  });

  it('stops the client from importing server or sim', async () => {
    assert.ok((await rulesFor('client/src/x.ts', "import { tickWorld } from '../../sim/index.js';\nexport const a = tickWorld;\n")).includes('no-restricted-imports'));
    assert.ok((await rulesFor('client/src/x.ts', "import { loadConfig } from '../../server/config.js';\nexport const a = loadConfig;\n")).includes('no-restricted-imports'));
  });

  it('stops shared from importing anything but shared and typebox', async () => {
    assert.ok((await rulesFor('shared/x.ts', "import { advance } from '../sim/rules.js';\nexport const a = advance;\n")).includes('no-restricted-imports'));
  });

  it('stops the server from importing dev/, statically anywhere and dynamically outside the one loader', async () => {
    const fake = "'../../dev/fake-telegram/fake-bot-api.js'";
    assert.ok((await rulesFor('server/telegram/x.ts', `import { FakeBotApi } from ${fake};\nexport const a = FakeBotApi;\n`)).includes('no-restricted-imports'));
    assert.ok((await rulesFor('server/telegram/x.ts', `import type { FakeBotApi } from ${fake};\nexport type A = FakeBotApi;\n`)).includes('no-restricted-imports'));
    assert.ok((await rulesFor('server/http/x.ts', `export const load = () => import(${fake});\n`)).includes('no-restricted-syntax'));
    const loader = await rulesFor('server/telegram/dev-bot-api.ts', `export const load = () => import(${fake});\n`);
    assert.ok(!loader.includes('no-restricted-syntax') && !loader.includes('no-restricted-imports'), loader.join(','));
    assert.ok((await rulesFor('server/telegram/dev-bot-api.ts', `import { FakeBotApi } from ${fake};\nexport const a = FakeBotApi;\n`)).includes('no-restricted-imports'));
  });

  it('lets dev/ import shared/, its packages and only the types of the server interface', async () => {
    const allowed = await rulesFor(
      'dev/fake-telegram/x.ts',
      "import { randomBytes } from 'node:crypto';\nimport Fastify from 'fastify';\nimport type { Update } from 'grammy/types';\n" +
        "import type { DevBotApi } from '../../server/telegram/dev-bot-api.js';\nimport { STAGES } from '../../shared/balance.js';\n" +
        'export const a = [randomBytes, Fastify, STAGES];\nexport type B = [Update, DevBotApi];\n',
    );
    assert.ok(!allowed.includes('@typescript-eslint/no-restricted-imports'), allowed.join(','));
    const refused = [
      "import { loadDevBotApi } from '../../server/telegram/dev-bot-api.js';\nexport const a = loadDevBotApi;\n",
      "import type { Config } from '../../server/config.js';\nexport type A = Config;\n",
      "import { tickWorld } from '../../sim/index.js';\nexport const a = tickWorld;\n",
      "import { Redis } from 'ioredis';\nexport const a = Redis;\n",
    ];
    for (const code of refused) assert.ok((await rulesFor('dev/fake-telegram/x.ts', code)).includes('@typescript-eslint/no-restricted-imports'), code);
  });

  it('lets only server/config.ts read process.env', async () => {
    assert.ok((await rulesFor('server/x.ts', 'export const p = process.env.PORT;\n')).includes('no-restricted-properties'));
    assert.ok(!(await rulesFor('server/config.ts', 'export const p = process.env.PORT;\n')).includes('no-restricted-properties'));
  });
});
