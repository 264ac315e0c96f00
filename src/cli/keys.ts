import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { ROLES, type Role } from '../db/tables.js';
import { DomainError } from '../errors.js';
import { exportParticipantLinks, KeysService } from '../modules/keys/keys.service.js';

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
  const database = openDatabase(config.databaseUrl);
  try {
    await migrateToLatest(database.db);
    const keys = new KeysService(database.db, config.access.publicUrl);
    switch (command) {
      case 'create': {
        if (!values.role || !(ROLES as readonly string[]).includes(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
        if (!values.name) throw new Error(`--name is required\n${USAGE}`);
        const created = await keys.create({
          role: values.role as Role,
          name: values.name,
          participantId: positiveInteger(values.participant, '--participant'),
          expiresInDays: positiveInteger(values['expires-days'], '--expires-days'),
        });
        console.log(`created key ${created.id} (${created.role}${created.participant_id ? ` for participant ${created.participant_id}` : ''})`);
        console.log(`key (shown once): ${created.key}`);
        return;
      }
      case 'list': {
        const list = Object.values(await keys.list());
        if (list.length === 0) console.log('no keys');
        for (const key of list) {
          const state = key.revoked_at ? `revoked ${key.revoked_at}` : key.expires_at ? `expires ${key.expires_at}` : 'active';
          console.log(`${key.id}\t${key.role}\t${key.participant_id ?? '-'}\t${key.name}\t${state}\tlast used ${key.last_used_at ?? 'never'}`);
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
        const out = values.out;
        const { count } = await exportParticipantLinks(
          database.db,
          config.access.publicUrl,
          ({ csv }) => writeFileSync(out, csv, { mode: 0o600 }),
          (done, total) => console.log(`  ${done}/${total} keys created`),
        );
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
  console.error(known ? (error as Error).message : error);
  process.exit(1);
});
