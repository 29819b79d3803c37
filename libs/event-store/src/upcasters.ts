import type { RecordedEvent } from './event-store.port';

/** Turns the data of (type, fromVersion) into the shape of version fromVersion + 1. */
export type Upcaster = (data: unknown, event: RecordedEvent) => unknown;

/**
 * Old event shapes are never rewritten in the log; they are upcast on read, one version
 * step at a time, so readers only ever see the current shape of each type.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Map<number, Upcaster>>();

  register(type: string, fromVersion: number, upcaster: Upcaster): this {
    const byVersion = this.steps.get(type) ?? new Map<number, Upcaster>();
    if (byVersion.has(fromVersion)) {
      throw new Error(`An upcaster for ${type} v${fromVersion} is already registered`);
    }
    byVersion.set(fromVersion, upcaster);
    this.steps.set(type, byVersion);
    return this;
  }

  upcast(event: RecordedEvent): RecordedEvent {
    const byVersion = this.steps.get(event.type);
    if (!byVersion) return event;
    let current = event;
    for (let step = byVersion.get(current.schemaVersion); step; step = byVersion.get(current.schemaVersion)) {
      current = { ...current, data: step(current.data, current), schemaVersion: current.schemaVersion + 1 };
    }
    return current;
  }
}
