import type { AccessRegistration } from '../auth';
import type { ContextRegistration } from '../core';
import { TrailCheckpointCheck } from './checkpoint-check';
import { teamsNamedIn } from './team-scope';
import { StreamNotFound } from './trail.errors';

/** What the trail context registers with the platform and the access policy (src/app.module.ts). */
export const TRAIL_CONTEXT: ContextRegistration & AccessRegistration = {
  name: 'trail',
  storeChecks: [TrailCheckpointCheck],
  records: [
    {
      kind: 'stream',
      async facts(id, { store }) {
        // A stream belongs to the teams its first event (the one that created the entity) names.
        for await (const first of store.readStream(id, { maxCount: 1, upcast: false })) {
          return { teamIds: teamsNamedIn(first.data), ownerIds: [] };
        }
        return null;
      },
      notFound: (id) => new StreamNotFound(id),
    },
  ],
};
