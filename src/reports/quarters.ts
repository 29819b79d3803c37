/** Financial quarters by label ("2020/21 Q1"), on top of the kernel's financial periods. */
import { financialQuarter, type FinancialQuarter, type LocalDate } from '@casetrail/kernel';

const LABEL = /^(\d{4})\/(\d{2}) Q([1-4])$/;

/** The quarter a label names, or null when it names none ("2020/22 Q1", "2020/21 Q5"). */
export function parseQuarter(label: string): FinancialQuarter | null {
  const match = LABEL.exec(label.trim());
  if (!match) return null;
  const start = Number(match[1]);
  if ((start + 1) % 100 !== Number(match[2])) return null;
  const quarter = Number(match[3]);
  const firstMonth = [4, 7, 10, 1][quarter - 1];
  const year = quarter === 4 ? start + 1 : start;
  return financialQuarter(`${year}-${String(firstMonth).padStart(2, '0')}-01`);
}

/** "2020/21 Q1" -> "2020-21-q1" (for stream ids and URLs). */
export const quarterSlug = (quarter: FinancialQuarter): string => `${quarter.year.replace('/', '-')}-q${quarter.quarter}`;

export const PERIOD_STREAM_PREFIX = 'period-';
export const periodStreamId = (quarter: FinancialQuarter): string => `${PERIOD_STREAM_PREFIX}${quarterSlug(quarter)}`;

/** The quarter before, and the same quarter a year before. */
export const previousQuarter = (quarter: FinancialQuarter): FinancialQuarter =>
  financialQuarter(new Date(Date.UTC(+quarter.from.slice(0, 4), +quarter.from.slice(5, 7) - 2, 1)).toISOString().slice(0, 10));
export const sameQuarterLastYear = (quarter: FinancialQuarter): FinancialQuarter =>
  financialQuarter(`${+quarter.from.slice(0, 4) - 1}${quarter.from.slice(4)}`);

/** The financial year before the quarter's: from and to. */
export function previousFinancialYear(quarter: FinancialQuarter): { label: string; from: LocalDate; to: LocalDate } {
  const start = +quarter.year.slice(0, 4) - 1;
  return { label: `${start}/${String((start + 1) % 100).padStart(2, '0')}`, from: `${start}-04-01`, to: `${start + 1}-03-31` };
}

/** A quarter from its label ("2020/21 Q1") or slug ("2020-21-q1"). */
export function parseQuarterParam(value: string): FinancialQuarter | null {
  const slug = /^(\d{4})-(\d{2})-q([1-4])$/.exec(value);
  return parseQuarter(slug ? `${slug[1]}/${slug[2]} Q${slug[3]}` : value);
}
