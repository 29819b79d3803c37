import type { Grade, OverallGrade } from '../audits';
import type { GradedAudit } from './audit-reading';
import { compareAuditSets } from './comparison';
import { keyInWords } from './impact-figures';

const audit = (caseRef: string, auditedOn: string, overall: OverallGrade, grades: Record<string, Grade>): GradedAudit => ({
  auditId: `${caseRef}-${auditedOn}`,
  caseRef,
  teamId: 't',
  auditedOn,
  programmeId: null,
  overall,
  domains: Object.keys(grades),
  grades,
});

describe('comparing a programme with its re-audit', () => {
  it('matches cases by case reference and says each domain change in words', () => {
    const earlier = [
      audit('C1', '2026-04-01', 'inadequate', { 'management-oversight': 'inadequate', planning: 'good' }),
      audit('C2', '2026-04-02', 'good', { 'management-oversight': 'good', planning: 'good' }),
      audit('C3', '2026-04-03', 'good', { 'management-oversight': 'good' }),
    ];
    const later = [
      audit('C1', '2026-09-01', 'good', { 'management-oversight': 'good', planning: 'good' }),
      audit('C2', '2026-09-02', 'requires-improvement', { 'management-oversight': 'requires-improvement', planning: 'good' }),
      audit('C4', '2026-09-03', 'good', { 'management-oversight': 'good' }),
    ];
    const result = compareAuditSets(earlier, later, keyInWords);
    expect(result.cases.map((c) => c.caseRef)).toEqual(['C1', 'C2']);
    expect(result.cases[0].domains[0]).toMatchObject({ text: 'Management oversight: inadequate → good', change: 'improved' });
    expect(result.cases[1].domains[0]).toMatchObject({ change: 'declined' });
    expect(result.cases[1].domains[1]).toMatchObject({ text: 'Planning: good → good', change: 'unchanged' });
    expect(result.onlyEarlier).toEqual(['C3']);
    expect(result.onlyLater).toEqual(['C4']);
    const oversight = result.domains.find((d) => d.domain === 'management-oversight')!;
    expect(oversight.cases).toEqual({ improved: 1, declined: 1, unchanged: 0 });
    expect(oversight.text).toBe('Management oversight: 2 of 3 good or better (66.67%) → 2 of 3 good or better (66.67%)');
  });

  it('a case audited twice in one set is compared by its latest audit there', () => {
    const earlier = [
      audit('C1', '2026-04-01', 'inadequate', { planning: 'inadequate' }),
      audit('C1', '2026-04-20', 'requires-improvement', { planning: 'requires-improvement' }),
    ];
    const later = [audit('C1', '2026-09-01', 'good', { planning: 'good' })];
    const [c1] = compareAuditSets(earlier, later, keyInWords).cases;
    expect(c1.domains[0].text).toBe('Planning: requires improvement → good');
  });
});
