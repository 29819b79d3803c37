import { deciderSpec } from '@casetrail/testing';
import { UnknownProgramme, UnknownTeam } from './audit.decider';
import {
  AuditProgrammeAlreadyCreated,
  auditProgrammeDecider,
  OnlyReAuditsHaveOriginal,
  ProgrammeEndsBeforeStart,
  ReAuditNeedsOriginal,
  type AuditProgrammeCommand,
} from './audit-programme.decider';
import type { AuditProgrammeCreated } from './audits.events';

const now = '2026-05-11T10:00:00.000Z';
const { given, itRefuses } = deciderSpec(auditProgrammeDecider);
const created: AuditProgrammeCreated = {
  type: 'AuditProgrammeCreated',
  data: {
    programmeId: 'pre-birth-2020',
    title: 'Pre-birth assessments',
    kind: 'thematic',
    theme: 'pre-birth',
    from: '2020-04-01',
    to: '2020-04-30',
    teamIds: ['assessment-1'],
  },
};
/** The command carries what the programme records, and which of its teams are registered. */
const create: AuditProgrammeCommand = { type: 'CreateAuditProgramme', now, ...created.data, knownTeamIds: ['assessment-1'] };

describe('audit programme decider', () => {
  it('a thematic programme is created for its teams and period', () => given([]).when(create).then([created]));

  it('a programme id is used once', () => given([created]).when(create).thenThrows(AuditProgrammeAlreadyCreated));

  it('a re-audit of an existing programme is recorded with it', () =>
    given([])
      .when({ ...create, programmeId: 'pre-birth-oct', kind: 're-audit', reAuditOf: 'pre-birth-2020', reAuditOfExists: true })
      .then([
        {
          type: 'AuditProgrammeCreated',
          data: { ...created.data, programmeId: 'pre-birth-oct', kind: 're-audit', reAuditOf: 'pre-birth-2020' },
        },
      ]));

  itRefuses(
    [],
    [
      ['a programme cannot end before it starts', { ...create, from: '2020-05-01' }, ProgrammeEndsBeforeStart],
      ['every team must be registered', { ...create, teamIds: ['assessment-1', 'nowhere'] }, UnknownTeam, /nowhere/],
      ['a re-audit names the programme it re-audits', { ...create, kind: 're-audit' }, ReAuditNeedsOriginal],
      [
        'the re-audited programme must exist',
        { ...create, kind: 're-audit', reAuditOf: 'ghost', reAuditOfExists: false },
        UnknownProgramme,
      ],
      [
        'only a re-audit names an earlier programme',
        { ...create, reAuditOf: 'pre-birth-2019', reAuditOfExists: true },
        OnlyReAuditsHaveOriginal,
      ],
    ],
  );
});
