import type { Timescale } from '../../../improvement';
import type { Lookup } from '../../kit';
import { ragTags } from '../../views';

/** What the plan, action and outstanding-actions pages show alike. */
export const RAG_TAG = ragTags({ red: 'Red', amber: 'Amber', green: 'Green', grey: 'Not started', blue: 'Complete' });
export const TIMESCALE_TEXT: Record<Timescale, string> = {
  immediately: 'Immediately (within 5 working days)',
  'within-3-months': 'Within 3 months',
  'within-6-months': 'Within 6 months',
  date: 'By a date',
};
export const planHref = (id: string): string => `/plans/${encodeURIComponent(id)}`;
export const actionHref = (id: string): string => `/actions/${encodeURIComponent(id)}`;
export const idFromStream = (streamId: string, prefix: string): string => streamId.slice(prefix.length);
/** First letter in capitals, the rest as written ("Ofsted inspection (ILACS)"). */
export const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
/** The owner's name: the user's name, or the partner agency's with "(partner agency)". */
export const ownerNameOf = (owner: { ownerId?: string | null; ownerAgency?: string | null }, name: Lookup): string =>
  owner.ownerAgency ? `${owner.ownerAgency} (partner agency)` : owner.ownerId ? name(owner.ownerId) : '';
/** An action's tag: its RAG, and for a completion after the due date how late it was ("Completed 4 working days late"). */
export const actionTag = (action: { rag: string; lateWorkingDays?: number | null }): { text: string; classes: string } =>
  action.rag === 'blue' && action.lateWorkingDays
    ? {
        text: `Completed ${action.lateWorkingDays} working day${action.lateWorkingDays === 1 ? '' : 's'} late`,
        classes: RAG_TAG.blue.classes,
      }
    : RAG_TAG[action.rag];
/** RAG tags with their counts. */
export const countTags = (counts: object) =>
  Object.entries(RAG_TAG).map(([rag, tag]) => ({ ...tag, count: (counts as Record<string, number>)[rag] }));
