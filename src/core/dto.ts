/** class-transformer helper shared by the DTOs: surrounding spaces never count as content. */
export const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);
