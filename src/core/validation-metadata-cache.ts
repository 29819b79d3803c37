import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type ValidationMetadata = ReturnType<Storage['getTargetValidationMetadatas']>[number];

const CACHED = Symbol('casetrail:validation-metadata-cache');

/**
 * class-validator works out a DTO class's rules on every validation: `getTargetValidationMetadatas`
 * walks every class that has rules (an `instanceof` test each, for inherited rules) and filters
 * them, then `groupByPropertyName` groups them by field. Both answers depend only on the rules
 * registered and the arguments, and rules are registered when the DTO classes are declared
 * (decorators, at module load). So each answer is kept per DTO class (and options) until a rule is
 * added, when everything kept is forgotten: the same rules, the same messages, worked out once per
 * class instead of once per request. Installed once per process (ValidationPipe calls it).
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [CACHED]?: true };
  if (marked[CACHED]) return;
  marked[CACHED] = true;

  let byTarget = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Record<string, ValidationMetadata[]>>();
  const forget = (): void => {
    byTarget = new Map();
    grouped = new WeakMap();
  };

  const addValidationMetadata = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata: ValidationMetadata): void => {
    forget();
    addValidationMetadata(metadata);
  };

  const getTarget = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (
    targetConstructor: Function, // eslint-disable-line @typescript-eslint/no-unsafe-function-type -- class-validator's signature
    targetSchema: string,
    always: boolean,
    strictGroups: boolean,
    groups?: string[],
  ): ValidationMetadata[] => {
    const key = `${String(targetSchema)}\u0000${always}\u0000${strictGroups}\u0000${groups ? groups.join('\u0001') : '-'}`;
    let forTarget = byTarget.get(targetConstructor);
    if (!forTarget) byTarget.set(targetConstructor, (forTarget = new Map()));
    let metadatas = forTarget.get(key);
    if (!metadatas) forTarget.set(key, (metadatas = getTarget(targetConstructor, targetSchema, always, strictGroups, groups)));
    return metadatas;
  };

  const groupByPropertyName = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadata: ValidationMetadata[]): Record<string, ValidationMetadata[]> => {
    let answer = grouped.get(metadata);
    if (!answer) grouped.set(metadata, (answer = groupByPropertyName(metadata)));
    return answer;
  };
}
