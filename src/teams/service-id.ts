/**
 * A service's id, as self-assessments name it, from the service a team belongs to:
 * "Children in need" -> "children-in-need" (lower case, runs of other characters as one hyphen).
 * A team manager records self-assessments for the services of their teams (src/auth/policy.ts).
 */
export const serviceIdOf = (service: string): string =>
  service
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
