import type { Type } from '@nestjs/common';
import type { MigrationInterface } from 'typeorm';
import { UpcasterRegistry, type EventStore } from '@casetrail/event-store';
import { ProjectionCheckpoint, type AnyProjection } from '@casetrail/projections';
import type { Decider, DomainEvent } from '@casetrail/kernel';
import type { AppConfig } from '../config';
import { idempotencyKeysProjection } from './idempotency-keys';

/** A way the stores can disagree, in plain words (see store-checks.ts). */
export interface StoreProblem {
  code: string;
  /** What is wrong and what to do, in plain words. */
  message: string;
}

/** A check of the stores that a context or a platform module contributes to StoreChecks (a Nest provider). */
export interface StoreCheck {
  /** Cheap enough for every /health call. */
  quickProblems?(): Promise<StoreProblem[]>;
  /** Run once, before the server serves (or a CLI command writes); may repair what it can. /health repeats its result. */
  startupProblems?(): Promise<StoreProblem[]>;
}

/**
 * What a context (or a platform module such as personal-data) tells the platform about itself.
 * The platform knows contexts only through these: core never imports a context.
 */
export interface ContextRegistration {
  name: string;
  /** Its read models. */
  projections?: readonly AnyProjection[];
  /** Every event shape change it ever made: an upcaster from each old version to the next. */
  upcasters?: (registry: UpcasterRegistry) => void;
  /** Its checks of the stores (providers; see store-checks.ts). */
  storeChecks?: readonly Type<StoreCheck>[];
  /**
   * Stream id prefix -> the decider owning those streams, so the trail can show the state after each
   * event. Prefixes, not categories: `dispute-protocol` and `dispute-<id>` share a category, not a decider.
   */
  streams?: Readonly<Record<string, StateFolder>>;
}

/** What the trail needs of a decider to show the state after each event of its streams. */
export type StateFolder = Pick<Decider<never, DomainEvent, unknown>, 'name' | 'initialState' | 'evolve'>;

/** A decider as a StateFolder (its command and event types do not matter for folding a stored history). */
export const stateFolder = (decider: unknown): StateFolder => decider as StateFolder;

export type MigrationClass = new () => MigrationInterface;

/** Opens the event log the application uses (personal-data wraps the log store in its encryption). */
export type EventStoreOpener = (config: AppConfig, upcasters: UpcasterRegistry) => Promise<EventStore>;

export interface PlatformOptions {
  /** Every context and platform module, in the order their projections run. */
  contexts: readonly ContextRegistration[];
  /** The PostgreSQL read database's versioned schema, oldest first (src/migrations). */
  migrations: readonly MigrationClass[];
  openEventStore: EventStoreOpener;
}

/** What the registrations add up to: every projection, read-model table, migration, upcaster and store check. */
export class Platform {
  readonly projections: AnyProjection[];
  /** Every table of the read database: the checkpoints and each projection's entities. */
  readonly entities: AnyProjection['entities'][number][];
  readonly migrations: MigrationClass[];
  readonly storeChecks: Type<StoreCheck>[];
  /** Stream id prefix -> its decider, from every registration. */
  readonly streams: Readonly<Record<string, StateFolder>>;

  constructor(readonly options: PlatformOptions) {
    this.projections = [...options.contexts.flatMap((context) => context.projections ?? []), idempotencyKeysProjection];
    this.entities = [ProjectionCheckpoint, ...this.projections.flatMap((p) => p.entities)];
    this.migrations = [...options.migrations];
    this.storeChecks = options.contexts.flatMap((context) => context.storeChecks ?? []);
    this.streams = Object.assign({}, ...options.contexts.map((context) => context.streams ?? {}));
  }

  /** The decider owning a stream (longest matching prefix), if any. */
  deciderForStream(streamId: string): StateFolder | undefined {
    const prefix = Object.keys(this.streams)
      .filter((p) => streamId.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    return prefix === undefined ? undefined : this.streams[prefix];
  }

  upcasters(): UpcasterRegistry {
    const registry = new UpcasterRegistry();
    for (const context of this.options.contexts) context.upcasters?.(registry);
    return registry;
  }

  openEventStore(config: AppConfig): Promise<EventStore> {
    return this.options.openEventStore(config, this.upcasters());
  }
}
