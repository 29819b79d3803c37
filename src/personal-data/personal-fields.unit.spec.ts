/**
 * The registry must classify every text field of every event type: this test reads the event
 * type definitions with the TypeScript compiler, so a new event or a new text field fails
 * here until someone decides whether it is personal data about a child.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { NOT_PERSONAL, PERSONAL_FIELDS, recordKindOf, subjectNamedIn } from './personal-fields';

const SRC = join(__dirname, '..', '..');

function eventFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return eventFiles(path);
    return name.endsWith('.events.ts') || name.endsWith('.decider.ts') ? [path] : [];
  });
}

/** Event type -> its data fields that can hold text (strings, arrays of strings, objects). */
function textFieldsByEventType(): Map<string, string[]> {
  const files = eventFiles(SRC).filter((f) => !f.endsWith('.spec.ts'));
  const program = ts.createProgram(files, { strict: true, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const canHoldText = (type: ts.Type): boolean => {
    const t = checker.getNonNullableType(type);
    if (t.isUnion()) return t.types.some(canHoldText);
    if (t.flags & (ts.TypeFlags.String | ts.TypeFlags.TemplateLiteral)) return true;
    if (t.flags & (ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.Null))
      return false;
    return (t.flags & ts.TypeFlags.Object) !== 0; // arrays, records, nested objects: classify them
  };
  const found = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    source.forEachChild((node) => {
      if (!ts.isTypeAliasDeclaration(node) || !ts.isTypeReferenceNode(node.type)) return;
      if (node.type.typeName.getText(source) !== 'DomainEvent' || node.type.typeArguments?.length !== 2) return;
      const [nameArg, dataArg] = node.type.typeArguments;
      if (!ts.isLiteralTypeNode(nameArg) || !ts.isStringLiteral(nameArg.literal)) return;
      const data = checker.getTypeFromTypeNode(dataArg);
      const fields = checker
        .getPropertiesOfType(data)
        .filter((p) => canHoldText(checker.getTypeOfSymbolAtLocation(p, dataArg)))
        .map((p) => p.getName());
      found.set(nameArg.literal.text, fields);
    });
  }
  return found;
}

describe('personal fields registry', () => {
  const events = textFieldsByEventType();

  it('finds the event types of every context (the walk itself works)', () => {
    for (const type of [
      'CaseAuditStarted',
      'DomainGraded',
      'DisputeRaised',
      'GoodPracticeAlertRaised',
      'TeamRegistered',
      'SubjectErased',
    ]) {
      expect(events.has(type)).toBe(true);
    }
    expect(events.size).toBeGreaterThan(40);
  });

  it('every text field of every event type is classified as personal or not, with a reason', () => {
    const unclassified: string[] = [];
    for (const [type, fields] of events) {
      for (const field of fields) {
        const personal = PERSONAL_FIELDS[type]?.includes(field) ?? false;
        const plain = NOT_PERSONAL[type]?.[field] !== undefined;
        if (personal === plain) unclassified.push(`${type}.${field}${personal ? ' (listed as both)' : ''}`);
      }
    }
    expect(unclassified).toEqual([]);
  });

  it('lists no field or event type that does not exist (no stale entries)', () => {
    const stale = Object.entries(PERSONAL_FIELDS).flatMap(([type, fields]) =>
      fields.filter((f) => !events.get(type)?.includes(f)).map((f) => `${type}.${f}`),
    );
    expect(stale).toEqual([]);
  });

  it('every event type with personal text is in a stream that names its subject', () => {
    // Each personal type lives in an audit, dispute or good-practice-alert stream.
    expect(Object.keys(PERSONAL_FIELDS).length).toBe(15);
    expect(recordKindOf('audit-1')).toBe('case-audit');
    expect(recordKindOf('dispute-1')).toBe('looked-after-child');
    expect(recordKindOf('good-practice-alert-1')).toBe('looked-after-child');
    expect(recordKindOf('plan-1')).toBe('other');
  });

  it('finds the subject in caseRef or childRef, and nowhere else', () => {
    expect(subjectNamedIn({ caseRef: 'C-1' })).toBe('C-1');
    expect(subjectNamedIn({ childRef: 'CH-2' })).toBe('CH-2');
    expect(subjectNamedIn({ subjectRef: 'C-1' })).toBeUndefined();
    expect(subjectNamedIn(null)).toBeUndefined();
  });
});
