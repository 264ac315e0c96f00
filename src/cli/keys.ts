import { open, unlink } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { systemClock } from '../clock.js';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { type Db, type Role, ROLES } from '../db/tables.js';
import { DomainError } from '../errors.js';
import { countParticipantsWithoutKey, KeysService, participantLinkChunks } from '../modules/keys/keys.service.js';
import { throttledProgress } from './progress.js';

const USAGE = `usage:
  npm run keys -- create --role admin|volunteer|participant --name NAME [--participant ID] [--expires-days N]
  npm run keys -- list
  npm run keys -- revoke ID
  npm run keys -- participants --out links.csv`;

function positiveInteger(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`${option} must be a positive integer, got "${value}"`);
  return Number(value);
}

/**
 * Writes the sign-in link export to a new file (an existing one may hold links not sent yet), each batch
 * flushed to disk before its keys are stored. If the export stops, the file is cut back to the links whose
 * keys were stored, and the error says so.
 */
async function writeParticipantLinks(db: Db, publicUrl: string, out: string): Promise<number> {
  const total = await countParticipantsWithoutKey(db);
  const progress = throttledProgress((done) => console.log(`  ${done}/${total} keys created`));
  const file = await open(out, 'wx', 0o600).catch((error: NodeJS.ErrnoException) => {
    throw new Error(
      error.code === 'EEXIST' ? `${out} exists; choose a new file for --out` : `cannot create ${out}: ${error.message}`,
    );
  });
  let written = 0;
  let storedBytes = 0;
  let stored = 0;
  const onStored = (count: number) => {
    stored = count;
    storedBytes = written;
    progress(count, total);
  };
  try {
    for await (const chunk of participantLinkChunks(db, publicUrl, { onStored })) {
      await file.write(chunk);
      await file.sync();
      written += Buffer.byteLength(chunk);
    }
  } catch (error) {
    // Best effort: the export's own error is the one to report (a full disk may refuse these too).
    await file.truncate(storedBytes).catch(() => {});
    await file.close().catch(() => {});
    if (stored === 0) await unlink(out).catch(() => {});
    throw new Error(
      `export stopped after ${stored} keys: ${(error as Error).message}\n` +
        (stored > 0 ? `${out} holds the sign-in links of those ${stored} keys; ` : '') +
        'run the command again, with a new --out file, for the participants still without a key',
      { cause: error },
    );
  }
  await file.close();
  return stored;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      participant: { type: 'string' },
      'expires-days': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const [command, argument] = positionals;
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl, {
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    lockTimeoutMs: config.sqliteLockTimeoutMs,
  });
  try {
    await migrateToLatest(database.db);
    const keys = new KeysService(database.db, database.transact, config.access.publicUrl, systemClock);
    switch (command) {
      case 'create': {
        if (!values.role || !(ROLES as readonly string[]).includes(values.role))
          throw new Error(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
        if (!values.name) throw new Error(`--name is required\n${USAGE}`);
        const created = await keys.create({
          role: values.role as Role,
          name: values.name,
          participantId: positiveInteger(values.participant, '--participant'),
          expiresInDays: positiveInteger(values['expires-days'], '--expires-days'),
        });
        console.log(
          `created key ${created.id} (${created.role}${created.participant_id ? ` for participant ${created.participant_id}` : ''})`,
        );
        console.log(`key (shown once): ${created.key}`);
        return;
      }
      case 'list': {
        const list = Object.values(await keys.list());
        if (list.length === 0) console.log('no keys');
        for (const key of list) {
          const state = key.revoked_at ? `revoked ${key.revoked_at}` : key.expires_at ? `expires ${key.expires_at}` : 'active';
          console.log(
            `${key.id}\t${key.role}\t${key.participant_id ?? '-'}\t${key.name}\t${state}\tlast used ${key.last_used_at ?? 'never'}`,
          );
        }
        return;
      }
      case 'revoke': {
        const id = positiveInteger(argument, 'ID');
        if (id === undefined) throw new Error(USAGE);
        const revoked = await keys.revoke(id);
        console.log(`revoked key ${revoked.id} (${revoked.name})`);
        return;
      }
      case 'participants': {
        if (!values.out) throw new Error(`--out FILE is required\n${USAGE}`);
        const count = await writeParticipantLinks(database.db, config.access.publicUrl, values.out);
        console.log(`created ${count} participant keys; sign-in links written to ${values.out}`);
        return;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    await database.destroy();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof DomainError || error instanceof Error;
  console.error(known ? error.message : error);
  process.exit(1);
});
