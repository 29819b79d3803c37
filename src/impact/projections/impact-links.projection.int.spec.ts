import { ProjectionHarness } from '@casetrail/testing';
import { ActionFindingRow, CaseAuditRow, impactLinksProjection } from './impact-links.projection';

describe('impact links projection', () => {
  const h = ProjectionHarness.perTest(impactLinksProjection);

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
    // An existing action linked to a further finding answers both.
    await h.record('action-x', [
      {
        type: 'ActionLinkedToFinding',
        data: { actionId: 'x', planId: 'sip', finding: { auditId: 'a2', domain: 'management-oversight' } },
      },
    ]);
    await h.record('action-y', [
      {
        type: 'ActionLinkedToFinding',
        data: { actionId: 'y', planId: 'sip', finding: { auditId: 'a1', domain: 'management-oversight' } },
      },
    ]);
    await h.project();
    const read = async () => ({
      audits: await h.rows(CaseAuditRow, 'auditId'),
      findings: (await h.rows(ActionFindingRow, 'actionId')).sort((a, b) =>
        `${a.actionId}|${a.auditId}`.localeCompare(`${b.actionId}|${b.auditId}`),
      ),
    });
    const first = await read();
    expect(first.audits.map((a) => [a.auditId, a.caseRef, a.auditedOn, a.programmeId])).toEqual([
      ['a1', 'N01', '2026-04-15', 'dd'],
      ['a2', 'N01', '2026-09-15', null],
    ]);
    // An action raised from no finding has a row for each finding linked to it later; one per action and finding.
    expect(first.findings.map((f) => [f.actionId, f.planId, f.auditId, f.domain])).toEqual([
      ['x', 'sip', 'a1', 'management-oversight'],
      ['x', 'sip', 'a2', 'management-oversight'],
      ['y', 'sip', 'a1', 'management-oversight'],
    ]);
    await h.expectRebuildKeeps(read);
  });
});
