/**
 * `npm run admin -- <command>`: admin accounts, from a shell on a machine that reaches the
 * database (DATABASE_URL, as the server).
 *
 *   add <name> --role admin|moderator   create an account (asks for the password twice)
 *   passwd <name>                        set a new password (ends the account's sessions)
 *   role <name> admin|moderator          change the role
 *   disable <name> / enable <name>       stop or allow sign-in (disable ends its sessions)
 *   list                                 the accounts
 *
 * The password is read from the terminal without echo, or from standard input when it is
 * not a terminal (one line; for scripts: `printf '%s\n' "$PW" | npm run admin -- add ...`).
 * Every change is written to the audit log as done by `cli`.
 */
import { createInterface } from 'node:readline';
import { ADMIN_NAME_PATTERN } from '../../shared/dto.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrator.js';
import type { AdminRole } from '../db/schema.js';
import { AdminRepository, type AuditActor } from '../repositories/admin-repository.js';

const USAGE = `usage: npm run admin -- add <name> --role admin|moderator
       npm run admin -- passwd <name>
       npm run admin -- role <name> admin|moderator
       npm run admin -- disable <name> | enable <name>
       npm run admin -- list`;

const CLI: AuditActor = { id: null, name: 'cli' };

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

function roleOf(value: string | undefined): AdminRole {
  if (value === 'admin' || value === 'moderator') return value;
  throw new UsageError(`the role must be admin or moderator, not ${value ?? 'nothing'}`);
}

function nameOf(value: string | undefined): string {
  if (!value || !new RegExp(ADMIN_NAME_PATTERN).test(value)) throw new UsageError('a name is 1-64 letters, digits, ".", "_" or "-"');
  return value;
}

/** Reads every line of standard input once (a pipe), for the prompts to take in order. */
let piped: Promise<string[]> | null = null;
function pipedLines(): Promise<string[]> {
  piped ??= new Promise((resolve) => {
    const lines: string[] = [];
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => lines.push(line));
    rl.on('close', () => resolve(lines));
  });
  return piped;
}

async function prompt(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const line = (await pipedLines()).shift();
    if (line === undefined) throw new UsageError('no password on standard input');
    return line;
  }
  // A terminal: read raw keystrokes so the password is not echoed.
  process.stdout.write(question);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new UsageError('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stdout.write('\n');
    };
    stdin.on('data', onData);
  });
}

async function newPassword(): Promise<string> {
  const password = await prompt('Password: ');
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new UsageError(`a password has ${PASSWORD_MIN_LENGTH}-${PASSWORD_MAX_LENGTH} characters`);
  }
  if (process.stdin.isTTY && (await prompt('Again: ')) !== password) throw new UsageError('the passwords differ');
  return password;
}

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function run(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  const config = loadConfig(undefined, 'tool');
  const db = openDatabase(config.database);
  const repo = new AdminRepository(db.kysely);
  const now = Date.now();
  try {
    await migrateToLatest(db.kysely);
    const find = async (name: string) => {
      const account = await repo.findAccountByName(name);
      if (!account) throw new UsageError(`no account named ${name}`);
      return account;
    };
    switch (command) {
      case 'add': {
        const name = nameOf(rest[0]);
        const role = roleOf(flag(rest, '--role'));
        const created = await repo.createAccount({ name, role, passwordHash: await hashPassword(await newPassword()) }, now);
        if (!created) throw new UsageError(`an account named ${name} exists already`);
        await repo.record({ actor: CLI, action: 'account.create', targetType: 'admin_account', targetId: created.id, after: { name, role } }, now);
        out(`created ${role} ${name}`);
        return;
      }
      case 'passwd': {
        const account = await find(nameOf(rest[0]));
        await repo.updateAccount(account.id, { passwordHash: await hashPassword(await newPassword()) }, now);
        await repo.revokeAllSessions(account.id, now);
        await repo.record({ actor: CLI, action: 'account.password', targetType: 'admin_account', targetId: account.id }, now);
        out(`password of ${account.name} changed; its sessions ended`);
        return;
      }
      case 'role': {
        const account = await find(nameOf(rest[0]));
        const role = roleOf(rest[1]);
        await repo.updateAccount(account.id, { role }, now);
        await repo.record({ actor: CLI, action: 'account.role', targetType: 'admin_account', targetId: account.id, before: { role: account.role }, after: { role } }, now);
        out(`${account.name} is now ${role}`);
        return;
      }
      case 'disable':
      case 'enable': {
        const account = await find(nameOf(rest[0]));
        const disabledAt = command === 'disable' ? now : null;
        await repo.updateAccount(account.id, { disabledAt }, now);
        if (disabledAt !== null) await repo.revokeAllSessions(account.id, now);
        await repo.record(
          { actor: CLI, action: `account.${command}`, targetType: 'admin_account', targetId: account.id, before: { disabledAt: account.disabled_at }, after: { disabledAt } },
          now,
        );
        out(`${account.name} ${command}d`);
        return;
      }
      case 'list': {
        for (const a of await repo.listAccounts()) {
          out(`${a.name}\t${a.role}\t${a.disabled_at === null ? 'active' : 'disabled'}\tlast sign-in ${a.last_login_at === null ? 'never' : new Date(Number(a.last_login_at)).toISOString()}`);
        }
        return;
      }
      default:
        throw new UsageError(command ? `unknown command ${command}` : 'no command');
    }
  } finally {
    await db.close();
  }
}

run(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${err instanceof ConfigError ? err.oneLine() : err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
