import 'reflect-metadata';
import { ConsoleLogger, Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { createWriteStream } from 'node:fs';
import { userInfo } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { resolve } from 'node:path';
import type { ProjectionRunner } from '@casetrail/projections';
import { AppModule } from './app.module';
import { ConfigError, loadConfig, type AppConfig, prepareDataDir } from './config';
import {
  systemContext,
  fieldProblems,
  InvalidInputException,
  toErrorBody,
  progressBar,
  InconsistentStoreError,
  StoreChecks,
  PROJECTION_RUNNER,
} from './core';
import type { Principal } from './shared';
import { backup, OperationRefused, progressInKilobytes, restore } from './ops';
import { DATA_PROTECTION_USAGE, runDataProtectionCommand } from './personal-data';
import {
  AccessLogService,
  ExportService,
  IntegrityService,
  trailSubject,
  ExportQueryDto,
  readPublicKey,
  verifyExport,
} from './trail';
import { readPassword } from './cli-password';
import {
  FindCredentialQuery,
  IssueTokenDto,
  ReasonDto,
  RegisterUserDto,
  SetPasswordDto,
  UserIdParam,
  UserTokenParams,
  UserUseCases,
} from './users';
import { IMPORT_COMMANDS, IMPORT_USAGE, ImportUsageError, runImportCommand } from './imports';
import { SamplingService } from './sampling';

const USAGE = `Casetrail command line. Each command prints one JSON line on stdout.

  user:add --name <name> --role <role> [--team <teamId>]...   register a user; prints {"userId","token",...}
  user:token --user <userId> [--label <text>] [--days <n>]     issue another personal access token
  user:revoke --user <userId> --token-id <tokenId> [--reason <text>]
  user:password --user <userId> [--username <name>]             set web sign-in details: the password is typed (hidden)
                                                                 at a terminal, or read from the first line of stdin
  projections:rebuild [name]...                                  drop and replay read models (all when none named)
  projections:status                                             checkpoint and lag of every projection
  trail:verify                                                   recompute every hash chain, the global order and signed checkpoints
  trail:export <file> [--format ndjson|csv] [--from <instant>] [--to <instant>] [--team <teamId>]
                                                                 write a signed export of the trail to a new file (as GET /api/v1/trail/export)
  trail:checkpoint                                               sign a Merkle tree head over the whole log (with a consistency proof)
  trail:verify-export <file> [--public-key <pem or path>]        check an export offline: hashes, chain, signatures (no store needed)
  backup <folder> [--without-read-models]                        consistent copy of the embedded store while the server runs, with a manifest
  restore <folder> [--force]                                     put a backup back (server stopped; --force replaces a store already there)
${DATA_PROTECTION_USAGE}
${IMPORT_USAGE}
  sample:verify <programmeId>                                    recompute a programme's recorded case sample from its recorded inputs; exit 1 if it differs

Roles: qa-officer, iro, team-manager, improvement-lead, inspector, admin.
It works while the server is running. Configuration comes from the same environment variables.`;

/** Logs go to stderr so stdout carries only the command's JSON. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: Parameters<ConsoleLogger['printMessages']>[2],
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

export interface ParsedArgs {
  command: string;
  positional: string[];
  options: Map<string, string[]>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const [command = 'help', ...rest] = argv;
  const options = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const [key, value] =
      eq > 0
        ? [arg.slice(2, eq), arg.slice(eq + 1)]
        : FLAGS.has(arg.slice(2))
          ? [arg.slice(2), 'true']
          : [arg.slice(2), rest[++i]];
    if (value === undefined) throw new CliUsageError(`--${key} needs a value`);
    options.set(key, [...(options.get(key) ?? []), value]);
  }
  return { command, positional, options };
}

class CliUsageError extends Error {}

/** Options that take no value. */
const FLAGS = new Set(['dry-run', 'force', 'without-read-models', 'skip-invalid']);

/** Validates CLI input with the same DTO classes (and so the same rules) as the HTTP API. */
function validated<T extends object>(cls: new () => T, input: Record<string, unknown>): T {
  const instance = plainToInstance(cls, input);
  const errors: ValidationError[] = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new InvalidInputException(fieldProblems(errors));
  return instance;
}

const single = (args: ParsedArgs, key: string): string | undefined => args.options.get(key)?.at(-1);

/** Commands that read views (does this team, this user exist?): they catch the projections up first. */
const COMMANDS_READING_VIEWS = new Set(['user:add', 'user:token', 'user:revoke', 'user:password']);
/**
 * Commands that write: refused on stores that disagree (store-checks.ts). The recovery and
 * diagnosis tools (projections:rebuild and :status, trail:verify, backup, restore) always run.
 */
const COMMANDS_THAT_WRITE = new Set([
  'user:add',
  'user:token',
  'user:revoke',
  'user:password',
  'trail:checkpoint',
  'subject:erase',
  'retention:run',
  ...IMPORT_COMMANDS,
]);

async function run(app: INestApplicationContext, args: ParsedArgs): Promise<unknown> {
  const users = app.get(UserUseCases);
  const runner = app.get<ProjectionRunner>(PROJECTION_RUNNER);
  const context = systemContext(`cli:${userInfo().username}`);
  // Commands that read views (e.g. "does this team exist?") must see everything already recorded.
  // The others must not depend on the projections: a failing projection must not stop
  // projections:rebuild (the way to mend it) or trail:verify (which reads the log itself).
  if (COMMANDS_THAT_WRITE.has(args.command)) await app.get(StoreChecks).refuseIfInconsistent();
  if (COMMANDS_READING_VIEWS.has(args.command)) await runner.catchUp();
  switch (args.command) {
    case 'user:add': {
      const dto = validated(RegisterUserDto, {
        name: single(args, 'name'),
        role: single(args, 'role'),
        teamIds: args.options.get('team') ?? [],
      });
      const issued = await users.registerWithToken(dto, context);
      return {
        userId: issued.userId,
        token: issued.token,
        tokenId: issued.tokenId,
        expiresAt: issued.expiresAt,
        position: issued.position,
      };
    }
    case 'user:token': {
      const { id } = validated(UserTokenParams, { id: single(args, 'user'), tokenId: '00000000-0000-4000-8000-000000000000' });
      const days = single(args, 'days');
      const dto = validated(IssueTokenDto, {
        label: single(args, 'label'),
        expiresInDays: days === undefined ? undefined : Number(days),
      });
      const issued = await users.issueToken({ id }, dto, context);
      return { userId: issued.userId, tokenId: issued.tokenId, token: issued.token, expiresAt: issued.expiresAt };
    }
    case 'user:revoke': {
      const { id, tokenId } = validated(UserTokenParams, { id: single(args, 'user'), tokenId: single(args, 'token-id') });
      const { reason } = validated(ReasonDto, { reason: single(args, 'reason') ?? 'revoked from the command line' });
      const result = await users.revokeToken({ id, tokenId }, { reason }, context);
      return { userId: id, tokenId, revoked: true, position: result.position };
    }
    case 'user:password':
      return setPassword(app, args, context);
    case 'projections:rebuild': {
      // One bar over every chosen projection: each one replays the log from 0 to the head.
      const bar = progressBar('Rebuilding read models', 'log positions');
      try {
        const rebuilt = await runner.rebuild(args.positional, ({ index, count, position, head }) =>
          bar.update(index * Number(head) + Number(position), count * Number(head)),
        );
        bar.stop();
        return { rebuilt: rebuilt.map((p) => `${p.name} v${p.version}`), status: await runner.status() };
      } finally {
        bar.stop();
      }
    }
    case 'projections:status':
      return runner.status();
    case 'trail:verify': {
      const bar = progressBar('Verifying the trail', 'log positions');
      try {
        const report = await app.get(IntegrityService).verify((position, head) => bar.update(Number(position), Number(head)));
        if (!report.valid) process.exitCode = 1;
        return report;
      } finally {
        bar.stop();
      }
    }
    case 'trail:export':
      return exportTrail(app, args, context);
    case 'trail:checkpoint':
      return app.get(IntegrityService).makeCheckpoint(context.actorId);
    case 'subject:erase':
    case 'retention:run':
      return runDataProtectionCommand(app, args, context);
    case 'sample:verify': {
      const [programmeId] = args.positional;
      if (!programmeId) throw new CliUsageError('sample:verify needs a programme id');
      const report = await app.get(SamplingService).verify(programmeId);
      if (!report.valid) process.exitCode = 1;
      return report;
    }
    case 'import:audits':
    case 'import:indicators':
    case 'import:users':
      return runImportCommand(
        app,
        args.command,
        args.positional[0],
        { dryRun: args.options.has('dry-run'), skipInvalid: args.options.has('skip-invalid') },
        context,
      ).catch((error: unknown) => {
        throw error instanceof ImportUsageError ? new CliUsageError(error.message) : error;
      });
    default:
      throw new CliUsageError(`Unknown command "${args.command}"`);
  }
}

/**
 * user:password: a username and password for the web pages, so an administrator made with
 * user:add can sign in (the first-run page is gone once anyone exists). The username defaults to
 * the one the user already has; the password never appears on the command line or in the output.
 */
async function setPassword(
  app: INestApplicationContext,
  args: ParsedArgs,
  context: ReturnType<typeof systemContext>,
): Promise<unknown> {
  const users = app.get(UserUseCases);
  const { id } = validated(UserIdParam, { id: single(args, 'user') });
  const user = await users.get({ id }); // an unknown user is refused before a password is asked for
  const current = await app.get(QueryBus).execute(new FindCredentialQuery({ userId: id }));
  const username = single(args, 'username') ?? current?.username;
  if (username === undefined) {
    throw new CliUsageError(`${user.name} has no username yet: give one with --username <name>`);
  }
  const password = await readPassword();
  const login = validated(SetPasswordDto, { username, password });
  const result = await users.setPassword(id, login, context);
  return { userId: id, name: user.name, username: login.username, position: result.position };
}

/** trail:export: the same signed export as GET /api/v1/trail/export, into a new file (never overwritten). */
async function exportTrail(
  app: INestApplicationContext,
  args: ParsedArgs,
  context: { actorId: string; actorRole: string },
): Promise<unknown> {
  const [file] = args.positional;
  if (!file) throw new CliUsageError('trail:export needs a file to write');
  const query = validated(ExportQueryDto, {
    format: single(args, 'format'),
    from: single(args, 'from'),
    to: single(args, 'to'),
    teamId: single(args, 'team'),
  });
  const format = query.format ?? 'ndjson';
  // An export holds case-level data: it is in the access log, as one through the API is (role "system").
  const reader = { userId: context.actorId, role: context.actorRole } as Pick<Principal, 'userId' | 'role'>;
  await app.get(AccessLogService).record(reader, `CLI trail:export ${file}`, [trailSubject(query)]);
  const bar = progressBar('Exporting the trail', 'log positions');
  let bytes = 0;
  try {
    const chunks = app.get(ExportService).chunks({
      format,
      from: query.from,
      to: query.to,
      teamId: query.teamId,
      onProgress: (position, head) => bar.update(Number(position), Number(head)),
    });
    const counted = async function* (): AsyncGenerator<Buffer> {
      for await (const chunk of chunks) {
        bytes += Buffer.byteLength(chunk);
        yield chunk;
      }
    };
    await pipeline(Readable.from(counted()), createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } finally {
    bar.stop();
  }
  return { file, format, bytes };
}

async function runBackupCommand(config: AppConfig, args: ParsedArgs): Promise<unknown> {
  const [folder] = args.positional;
  if (!folder) throw new CliUsageError(`${args.command} needs a folder`);
  if (config.EVENT_STORE !== 'sqlite') {
    throw new OperationRefused(
      `${args.command} copies the embedded (SQLite) store; with EVENT_STORE=${config.EVENT_STORE} use the database's own ` +
        'tools (pg_dump and pg_restore for PostgreSQL), as docs/operations.md (Backup and restore) describes.',
    );
  }
  const target = resolve(folder);
  if (args.command === 'backup') {
    return backup({
      dataDir: config.dataDir,
      target,
      readModels: !config.READ_DB_URL && !args.options.has('without-read-models'),
      progress: progressInKilobytes(progressBar('Backing up', 'KB')),
    });
  }
  return restore({
    dataDir: config.dataDir,
    source: target,
    force: args.options.has('force'),
    progress: progressInKilobytes(progressBar('Restoring', 'KB')),
  });
}

async function main(): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (['help', '--help', '-h'].includes(args.command)) {
    console.log(USAGE);
    return 0;
  }
  if (args.command === 'trail:verify-export') {
    // Offline on purpose: an inspector runs this on their own machine, with no store or configuration.
    const [file] = args.positional;
    if (!file) {
      console.error(`trail:verify-export needs a file\n\n${USAGE}`);
      return 2;
    }
    const key = single(args, 'public-key');
    const result = await verifyExport(file, key === undefined ? undefined : readPublicKey(key));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.valid ? 0 : 1;
  }
  let config;
  try {
    config = loadConfig();
    prepareDataDir(config.dataDir);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  if (args.command === 'backup' || args.command === 'restore') {
    // Without the application: restore must not open the stores it replaces, and a backup
    // must work whatever state the stores are in.
    try {
      const output = await runBackupCommand(config, args);
      process.stdout.write(`${JSON.stringify(output)}\n`);
      return 0;
    } catch (error) {
      if (error instanceof CliUsageError) {
        console.error(`${error.message}\n\n${USAGE}`);
        return 2;
      }
      if (!(error instanceof OperationRefused)) throw error;
      process.stderr.write(`${JSON.stringify({ statusCode: 409, error: 'Refused', message: error.message })}\n`);
      return 1;
    }
  }
  const logger = new StderrLogger({ json: true, logLevels: ['fatal', 'error', 'warn'] });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config, 'cli'), { logger });
  try {
    const output = await run(app, args);
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CliUsageError) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof InconsistentStoreError) {
      const refusal = { statusCode: 503, error: 'Inconsistent store', message: error.message, details: error.problems };
      process.stderr.write(`${JSON.stringify(refusal)}\n`);
      return 1;
    }
    const body = toErrorBody(error, new Logger('CLI'));
    process.stderr.write(`${JSON.stringify(body)}\n`);
    return 1;
  } finally {
    await app.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
