import { counted } from '../src';

describe('counted', () => {
  it('says one thing in the singular', () => {
    expect(counted(1, 'case')).toBe('1 case');
  });
  it('says none and several in the plural', () => {
    expect(counted(0, 'action')).toBe('0 actions');
    expect(counted(2, 'working day')).toBe('2 working days');
  });
  it('takes its own plural, verb included', () => {
    expect(counted(1, 'case audit was', 'case audits were')).toBe('1 case audit was');
    expect(counted(3, 'case audit was', 'case audits were')).toBe('3 case audits were');
  });
});
