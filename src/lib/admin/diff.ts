/**
 * What an audit entry changed, as lines a person reads: each changed field by its dotted
 * path (`translations.es.name`) with the value before and after. Pure, unit-tested.
 */
export interface FieldChange {
	path: string;
	before: string;
	after: string;
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
	if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
		const entries = Object.entries(value as Record<string, unknown>);
		if (entries.length === 0 && prefix) out.set(prefix, '{}');
		for (const [key, inner] of entries) flatten(inner, prefix ? `${prefix}.${key}` : key, out);
		return;
	}
	// A whole side that is missing (a creation or a removal) has no fields.
	if (value === undefined || (value === null && !prefix)) return;
	out.set(prefix || '(value)', typeof value === 'string' ? value : JSON.stringify(value));
}

/** The fields that differ between `before` and `after`, in a stable order; a missing side reads as ''. */
export function auditChanges(before: unknown, after: unknown): FieldChange[] {
	const a = new Map<string, string>();
	const b = new Map<string, string>();
	flatten(before, '', a);
	flatten(after, '', b);
	const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
	return paths.filter((p) => a.get(p) !== b.get(p)).map((p) => ({ path: p, before: a.get(p) ?? '', after: b.get(p) ?? '' }));
}

/** Pretty JSON for the full before/after view. */
export function prettyJson(value: unknown): string {
	return value === null || value === undefined ? '—' : JSON.stringify(value, null, 2);
}
