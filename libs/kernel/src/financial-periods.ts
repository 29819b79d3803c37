/**
 * English councils report by financial year: Q1 = April-June, Q2 = July-September,
 * Q3 = October-December, Q4 = January-March; "2020/21" runs 1 April 2020 - 31 March 2021.
 */
import { toUtcDate, type LocalDate } from './local-date';

export interface FinancialQuarter {
  /** e.g. "2020/21". */
  year: string;
  quarter: 1 | 2 | 3 | 4;
  /** e.g. "2020/21 Q1". */
  label: string;
  from: LocalDate;
  to: LocalDate;
}

const yearLabel = (startYear: number): string => `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`;

/** The calendar year in which the financial year containing `date` starts. */
export function financialYearStart(date: LocalDate): number {
  const d = toUtcDate(date);
  return d.getUTCMonth() >= 3 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
}

export const financialYear = (date: LocalDate): string => yearLabel(financialYearStart(date));

export function financialQuarter(date: LocalDate): FinancialQuarter {
  const start = financialYearStart(date);
  const month = toUtcDate(date).getUTCMonth(); // 0 = January
  const quarter = (Math.floor(((month + 9) % 12) / 3) + 1) as 1 | 2 | 3 | 4;
  const firstMonth = ((quarter - 1) * 3 + 3) % 12; // April, July, October, January
  const calendarYear = quarter === 4 ? start + 1 : start;
  const from = `${calendarYear}-${String(firstMonth + 1).padStart(2, '0')}-01`;
  const last = new Date(Date.UTC(calendarYear, firstMonth + 3, 0));
  return { year: yearLabel(start), quarter, label: `${yearLabel(start)} Q${quarter}`, from, to: last.toISOString().slice(0, 10) };
}
