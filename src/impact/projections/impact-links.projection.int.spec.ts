import { ProjectionHarness } from '@casetrail/testing';
import { ActionFindingRow, CaseAuditRow, impactLinksProjection } from './impact-links.projection';

describe('impact links projection', () => {
  let h: ProjectionHarness;
  beforeEach(async () => {
    h = await ProjectionHarness.open(impactLinksProjection);
  });
  afterEach(() => h.close());

  const started = (auditId: string, caseRef: string, auditedOn: string, programmeId?: string) => ({
    type: 'CaseAuditStarted',
    data: {
      auditId,
      caseRef,
      teamId: 't1',
      auditorId: 'u1',
      auditedOn,
      ...(programmeId ? { programmeId } : {}),
      frameworkId: 'default',
      frameworkVersion: 1,
      domains: ['management-oversight'],
    },
  });
  const added = (actionId: string, finding?: { auditId: string; domain: string }) => ({
    type: 'ActionAdded',
    data: {
      actionId,
      planId: 'sip',
      priorityId: 'p1',
      recommendationIds: [],
      title: 'An action',
      ownerId: 'u2',
      teamIds: ['t1'],
      startOn: '2026-05-01',
      dueOn: '2026-06-30',
      successMeasure: 'Better',
      ...(finding ? { finding } : {}),
    },
  });

  it('links each audit to its case, and each action raised from a finding to the finding; a rebuild gives the same rows', async () => {
    await h.record('audit-a1', [started('a1', 'N01', '2026-04-15', 'dd')]);
    await h.record('audit-a2', [started('a2', 'N01', '2026-09-15')]);
    await h.record('action-x', [added('x', { auditId: 'a1', domain: 'management-oversight' })]);
    await h.record('action-y', [added('y')]);
    await h.project();
    const read = async () => ({
      audits: await h.rows(CaseAuditRow, 'auditId'),
      findings: await h.rows(ActionFindingRow, 'actionId'),
    });
    const first = await read();
    expect(first.audits.map((a) => [a.auditId, a.caseRef, a.auditedOn, a.programmeId])).toEqual([
      ['a1', 'N01', '2026-04-15', 'dd'],
      ['a2', 'N01', '2026-09-15', null],
    ]);
    // An action raised from no finding has no row.
    expect(first.findings.map((f) => [f.actionId, f.auditId, f.domain])).toEqual([['x', 'a1', 'management-oversight']]);
    await h.rebuild();
    expect(await read()).toEqual(first);
  });
});
