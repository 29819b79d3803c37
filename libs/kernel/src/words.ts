/**
 * A number and its word, singular for one and plural otherwise, as sentences people read say it:
 * counted(1, 'case') is "1 case", counted(0, 'action') is "0 actions". The plural is the word with an "s"
 * unless given, and the words may carry their verb: counted(1, 'audit was', 'audits were') is "1 audit was".
 */
export const counted = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
