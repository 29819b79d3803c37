import { ProjectionCheckpoint } from '@casetrail/projections';
import { ALL_PROJECTIONS } from '../projections';

/** Every table of the read database: the checkpoints and each projection's entities. */
export const READ_MODEL_ENTITIES = [ProjectionCheckpoint, ...ALL_PROJECTIONS.flatMap((p) => p.entities)];
