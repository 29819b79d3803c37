import { deciderOf, conflict, ruleBroken, dayInWords } from '@casetrail/kernel';
import { AUDIT_PROGRAMME_EVENT_SCHEMA_VERSIONS, type AuditProgrammeCreated, type AuditProgrammeEvent } from './audits.events';
import { UnknownProgramme, UnknownTeam } from './audit.decider';

/** What the programme records, and what the caller looked up. */
export type AuditProgrammeCommand = AuditProgrammeCreated['data'] & {
  type: 'CreateAuditProgramme';
  now: string;
  /** The registered teams among teamIds (looked up by the caller). */
  knownTeamIds: string[];
  /** Whether the programme named by reAuditOf exists (looked up by the caller). */
  reAuditOfExists?: boolean;
};

export type AuditProgrammeState = { created: boolean };

export class AuditProgrammeAlreadyCreated extends conflict(
  'AUDIT_PROGRAMME_ALREADY_CREATED',
  (programmeId: string) => `An audit programme with the id "${programmeId}" already exists.`,
) {}
export class ProgrammeEndsBeforeStart extends ruleBroken(
  'PROGRAMME_ENDS_BEFORE_START',
  (from: string, to: string) => `The programme cannot end (${dayInWords(to)}) before it starts (${dayInWords(from)}).`,
) {}
export class ReAuditNeedsOriginal extends ruleBroken(
  'RE_AUDIT_NEEDS_ORIGINAL',
  () => 'A re-audit must name the programme it re-audits (reAuditOf).',
) {}
export class OnlyReAuditsHaveOriginal extends ruleBroken(
  'ONLY_RE_AUDITS_HAVE_ORIGINAL',
  (kind: string) => `Only a re-audit names an earlier programme; this programme is a ${kind} audit.`,
) {}

export const auditProgrammeDecider = deciderOf<AuditProgrammeCommand, AuditProgrammeEvent, AuditProgrammeState>({
  name: 'audit programme',
  initialState: { created: false },
  schemaVersions: AUDIT_PROGRAMME_EVENT_SCHEMA_VERSIONS,

  decide: {
    CreateAuditProgramme(command, state) {
      const { programmeId, title, kind, theme, from, to, teamIds, reAuditOf } = command;
      if (state.created) throw new AuditProgrammeAlreadyCreated(programmeId);
      if (to < from) throw new ProgrammeEndsBeforeStart(from, to);
      const unknown = teamIds.find((teamId) => !command.knownTeamIds.includes(teamId));
      if (unknown !== undefined) throw new UnknownTeam(unknown);
      if (kind === 're-audit' && reAuditOf === undefined) throw new ReAuditNeedsOriginal();
      if (kind !== 're-audit' && reAuditOf !== undefined) throw new OnlyReAuditsHaveOriginal(kind);
      if (reAuditOf !== undefined && !command.reAuditOfExists) throw new UnknownProgramme(reAuditOf);
      return [
        {
          type: 'AuditProgrammeCreated',
          data: {
            programmeId,
            title,
            kind,
            ...(theme !== undefined ? { theme } : {}),
            from,
            to,
            teamIds,
            ...(reAuditOf !== undefined ? { reAuditOf } : {}),
          },
        },
      ];
    },
  },

  evolve: {
    AuditProgrammeCreated: () => ({ created: true }),
  },
});
