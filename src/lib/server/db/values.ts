/**
 * The one place where values cross between JavaScript and either database.
 * Both dialects store booleans as 0/1 integers, JSON as text and timestamps as ISO text,
 * so reads look the same whichever database is configured (counts and numerics are
 * normalized by the PostgreSQL type parsers in connect.ts).
 */

export function toFlag(value: boolean): number {
	return value ? 1 : 0;
}

export function fromFlag(value: number | boolean | string | null | undefined): boolean {
	return value === 1 || value === true || value === '1' || value === 't';
}

export function toJson(value: unknown): string {
	return JSON.stringify(value ?? null);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
	if (text === null || text === undefined || text === '') return fallback;
	if (typeof text !== 'string') return text as T;
	return JSON.parse(text) as T;
}

export function now(): string {
	return new Date().toISOString();
}

/** count(*) is a number on SQLite and a bigint string on PostgreSQL without parsers. */
export function toCount(value: number | string | bigint | null | undefined): number {
	return value === null || value === undefined ? 0 : Number(value);
}
