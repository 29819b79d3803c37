import { count, day, type EventDescriber } from './words';

type Size = { perTeam: number } | { total: number };
const sizeInWords = (size: Size): string =>
  'perTeam' in size ? `${size.perTeam} per team` : `${size.total} in all, shared by caseload`;

/** Streams caselist-<id> and sample-<programmeId> (src/sampling/sampling.events.ts): case references only, no child's name. */
export const SAMPLING_DESCRIBERS: Record<string, EventDescriber> = {
  CaseListRecorded: (d, c) =>
    `${c.entity}: case list ${d.fileName ? `"${String(d.fileName)}" ` : ''}of ${count((d.cases as unknown[]).length, 'case')} recorded on ${day(d.recordedOn)} by ${c.actor} ` +
    `(file SHA-256 ${String(d.fileSha256).slice(0, 12)}…)`,
  CaseSampleDrawn: (d, c) => {
    const inputs = d.inputs as { size: Size; seed: string; excludeAuditedWithinMonths: number; drawnOn: string };
    return (
      `${c.entity}: sample for programme ${d.programmeId} drawn on ${day(inputs.drawnOn)} by ${c.actor}: ` +
      `${count((d.chosen as unknown[]).length, 'case')} chosen (${sizeInWords(inputs.size)}, seed "${inputs.seed}"), ` +
      `${count((d.excluded as unknown[]).length, 'case')} left out as audited in the last ${inputs.excludeAuditedWithinMonths} months`
    );
  },
};
