import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { EVENT_STORE, type EventStore } from '@casetrail/event-store';
import { numbered, type StoreCheck, type StoreProblem } from '../core';
import { CHECKPOINT_STREAM, TRAIL_SIDE_STORE } from './side-store';

/** The trail's check of the stores (registered with the platform): the log must reach the last signed trail checkpoint. */
@Injectable()
export class TrailCheckpointCheck implements StoreCheck {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly modules: ModuleRef,
  ) {}

  private get side(): EventStore {
    return this.modules.get<EventStore>(TRAIL_SIDE_STORE, { strict: false });
  }

  async quickProblems(): Promise<StoreProblem[]> {
    const checkpoint = await this.lastSignedCheckpoint();
    if (!checkpoint) return [];
    const head = await this.store.headPosition();
    if (BigInt(checkpoint.lastPosition) <= head) return [];
    return [
      {
        code: 'LOG_SHORTER_THAN_CHECKPOINT',
        message:
          `The event log ends at position ${numbered(head)}, but the trail checkpoint signed at ${checkpoint.signedAt} ` +
          `covers ${numbered(checkpoint.size)} events up to position ${numbered(checkpoint.lastPosition)}: events are ` +
          'missing from the log. Restore the log and the key store from a backup taken after that checkpoint ' +
          '(npm run cli -- restore <backup folder>); npm run cli -- trail:verify shows where the log breaks.',
      },
    ];
  }

  private async lastSignedCheckpoint(): Promise<{ size: number; lastPosition: string; signedAt: string } | null> {
    for await (const e of this.side.readStream(CHECKPOINT_STREAM, { direction: 'backwards', maxCount: 1 })) {
      return e.data as { size: number; lastPosition: string; signedAt: string };
    }
    return null;
  }
}
