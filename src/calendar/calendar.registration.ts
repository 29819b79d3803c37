import { calendarDecider } from './calendar.decider';
import { stateFolder, type ContextRegistration } from '../core';
import { CALENDAR_PROJECTIONS } from './projections';

/** What the calendar context registers with the platform (src/app.module.ts). */
export const CALENDAR_CONTEXT: ContextRegistration = {
  name: 'calendar',
  streams: {
    'calendar-': stateFolder(calendarDecider),
  },
  projections: CALENDAR_PROJECTIONS,
};
