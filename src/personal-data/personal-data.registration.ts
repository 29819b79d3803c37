import type { ContextRegistration } from '../core';
import { PersonalDataKeyChecks } from './key-checks';

/** What personal-data protection registers with the platform (src/app.module.ts); it also opens the log (openProtectedEventStore). */
export const PERSONAL_DATA: ContextRegistration = {
  name: 'personal-data',
  storeChecks: [PersonalDataKeyChecks],
};
