/**
 * subject:erase and retention:run, for the command line. Erasure destroys the subject's key
 * first (the effect that matters), then records SubjectErased, then rebuilds every read
 * model from the log so no view keeps a copy of the text. Each step can be re-run: a second
 * erase of the same subject records nothing new and rebuilds again.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Transform } from 'class-transformer';
import { Matches, validateSync, type ValidationError } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { dayOf, notFound } from '@casetrail/kernel';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import type { ProjectionRunner } from '@casetrail/projections';
import { AppConfig } from '../config';
import { emptyWriteAheadLog, removeSetAsideReadDbs, zeroDeletedRows } from '../ops';
import {
  type CommandContext,
  commandHandlerFor,
  IsSubjectRef,
  IsText,
  Required,
  trim,
  fieldProblems,
  InvalidInputException,
  PROJECTION_RUNNER,
  READ_DB_WRITER,
} from '../core';
import type { DataSource } from 'typeorm';
import { subjectNamedIn } from './personal-fields';
import { EncryptingEventStore } from './encrypting-event-store';
import { parseRetentionRules, retentionOf, subjectFacts, type RetentionDecision } from './retention';
import {
  SUBJECT_ERASURES_STREAM,
  SubjectAlreadyErased,
  subjectErasureDecider,
  type SubjectErasureCommand,
} from './subject-erasure.decider';

const erasures = commandHandlerFor(subjectErasureDecider, () => SUBJECT_ERASURES_STREAM);

export class EraseSubjectDto {
  @Required('Enter the reference of the child or case')
  @IsSubjectRef('Reference')
  subjectRef!: string;

  @Transform(trim)
  @Required('Enter the reason for the erasure')
  @IsText('Reason', 500)
  reason!: string;
}

export class RetentionRunDto {
  @Required('Enter the day to run the retention rules as on')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'Today must be a day written like 2026-05-01' })
  today!: string;
}

export class SubjectNotKnown extends notFound(
  'SUBJECT_NOT_KNOWN',
  (subjectRef: string) => `Nothing is recorded about "${subjectRef}": check the reference.`,
) {}

function validated<T extends object>(cls: new () => T, input: Record<string, unknown>): T {
  const instance = plainToInstance(cls, input);
  const errors: ValidationError[] = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw new InvalidInputException(fieldProblems(errors));
  return instance;
}

export interface ErasureOutcome {
  subjectRef: string;
  keyId: string;
  streams: number;
  alreadyErased: boolean;
  position: string | null;
}

export class DataProtection {
  constructor(
    private readonly store: EncryptingEventStore,
    private readonly commands: CommandBus,
    private readonly runner: ProjectionRunner,
    private readonly config: AppConfig,
    private readonly readDb: DataSource,
  ) {}

  static from(app: INestApplicationContext): DataProtection {
    const store = app.get<EventStore>(EVENT_STORE);
    if (!(store instanceof EncryptingEventStore)) throw new Error('The event store is not encrypting personal data');
    return new DataProtection(
      store,
      app.get(CommandBus),
      app.get<ProjectionRunner>(PROJECTION_RUNNER),
      app.get(AppConfig),
      app.get<DataSource>(READ_DB_WRITER),
    );
  }

  /**
   * Links every stream to the subject its first event names, including streams recorded
   * before encryption existed (their text is in the clear in the log, but decorated reads
   * hide it once the subject is erased). Idempotent.
   */
  async linkStreamsFromLog(): Promise<void> {
    const filter = { eventTypes: ['CaseAuditStarted', 'DisputeRaised', 'GoodPracticeAlertRaised'] };
    for await (const event of this.store.readAll({ filter, upcast: false })) {
      const subject = subjectNamedIn(event.data);
      if (subject !== undefined) await this.store.keys.linkStream(event.streamId, subject);
    }
  }

  /** Destroys the key and records it; the caller rebuilds the read models (once for many). */
  async eraseWithoutRebuild(subjectRef: string, reason: string, context: CommandContext): Promise<ErasureOutcome> {
    const keys = this.store.keys;
    const streams = (await keys.streamsOf(subjectRef)).length;
    if (streams === 0 && !(await keys.subjects()).some((s) => s.subjectRef === subjectRef)) throw new SubjectNotKnown(subjectRef);
    const { keyId, alreadyErased } = await keys.erase(subjectRef, context.now);
    const command: SubjectErasureCommand = { type: 'RecordSubjectErased', now: context.now, subjectRef, keyId, reason };
    try {
      const result = await erasures.send(this.commands, command, context);
      return { subjectRef, keyId, streams, alreadyErased, position: result.position };
    } catch (error) {
      // Recorded by an earlier run that stopped before the rebuild: carry on and rebuild.
      if (error instanceof SubjectAlreadyErased) return { subjectRef, keyId, streams, alreadyErased: true, position: null };
      throw error;
    }
  }

  async rebuildReadModels(): Promise<string[]> {
    await zeroDeletedRows(this.readDb);
    const rebuilt = (await this.runner.rebuild()).map((p) => `${p.name} v${p.version}`);
    // The old rows are deleted, but their bytes may linger in free pages: compact the file.
    // Best effort: a server holding the SQLite file open can make VACUUM busy.
    try {
      await this.readDb.query('VACUUM');
    } catch {
      // The rows are already gone from every query; only the free pages remain until the next VACUUM.
    }
    // No old page may survive in the write-ahead log, nor in a set-aside copy (src/ops/erasure-on-disk.ts).
    await emptyWriteAheadLog(this.readDb);
    if (!this.config.READ_DB_URL) removeSetAsideReadDbs(this.config.dataDir);
    return rebuilt;
  }

  async erase(input: Record<string, unknown>, context: CommandContext): Promise<ErasureOutcome & { rebuilt: string[] }> {
    const { subjectRef, reason } = validated(EraseSubjectDto, input);
    await this.linkStreamsFromLog();
    const outcome = await this.eraseWithoutRebuild(subjectRef, reason, context);
    return { ...outcome, rebuilt: await this.rebuildReadModels() };
  }

  async retention(today: string | undefined, dryRun: boolean, context: CommandContext): Promise<RetentionReport> {
    const day = validated(RetentionRunDto, { today: today ?? dayOf(context.now) }).today;
    const rules = parseRetentionRules(this.config.RETENTION_RULES);
    await this.linkStreamsFromLog();
    const decisions = (await subjectFacts(this.store, this.store.keys)).map((f) => retentionOf(f, rules, day));
    const due = decisions.filter((d) => d.due);
    const erased: ErasureOutcome[] = [];
    if (!dryRun) {
      for (const d of due) {
        erased.push(
          await this.eraseWithoutRebuild(
            d.subjectRef,
            `retention period ended (${d.rule}, kept until ${d.retainUntil})`,
            context,
          ),
        );
      }
    }
    const rebuilt = erased.length ? await this.rebuildReadModels() : [];
    return { today: day, dryRun, checked: decisions.length, due, erased: erased.map((e) => e.subjectRef), rebuilt };
  }
}

export interface RetentionReport {
  today: string;
  dryRun: boolean;
  checked: number;
  due: RetentionDecision[];
  erased: string[];
  rebuilt: string[];
}

export const DATA_PROTECTION_USAGE = `  subject:erase <ref> --reason <text>                           destroy a child's key (crypto-shredding), record it, rebuild read models
  retention:run [--dry-run] [--today YYYY-MM-DD]                 list (and unless --dry-run, erase) subjects past their retention rule`;

/** The data-protection CLI commands; undefined when `command` is not one of them. */
export async function runDataProtectionCommand(
  app: INestApplicationContext,
  args: { command: string; positional: string[]; options: Map<string, string[]> },
  context: CommandContext,
): Promise<unknown> {
  const option = (key: string): string | undefined => args.options.get(key)?.at(-1);
  switch (args.command) {
    case 'subject:erase':
      return DataProtection.from(app).erase({ subjectRef: args.positional[0], reason: option('reason') }, context);
    case 'retention:run':
      return DataProtection.from(app).retention(option('today'), args.options.has('dry-run'), context);
    default:
      return undefined;
  }
}
