/**
 * Run as a separate OS process by the crash test: projects the log in small batches, slowly,
 * until the parent kills it with SIGKILL part-way.
 */
import { DataSource } from 'typeorm';
import { SqliteEventStore } from '@casetrail/event-store';
import { ProjectionCheckpoint, ProjectionRunner } from '@casetrail/projections';
import { Counter, counterProjection } from './counter-projection';

async function main(): Promise<void> {
  const store = new SqliteEventStore({ file: process.env.EVENTS_FILE! });
  const db = await new DataSource({
    type: 'better-sqlite3',
    database: process.env.READ_FILE!,
    entities: [Counter, ProjectionCheckpoint],
  }).initialize();
  const projection = counterProjection();
  const slow = {
    ...projection,
    apply: async (...args: Parameters<typeof projection.apply>) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      await projection.apply(...args);
    },
  };
  const runner = new ProjectionRunner(store, db, [slow], { batchSize: 7 });
  await runner.prepare();
  process.stdout.write('ready\n');
  await runner.catchUp();
  process.stdout.write('finished\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
