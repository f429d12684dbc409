/**
 * Null characters (U+0000) are never part of text a person types: PostgreSQL refuses them
 * in text ("invalid byte sequence for encoding UTF8: 0x00") and SQLite would store them.
 * Requests carrying one are refused at the edge, naming where it was. Pure.
 */

export type NullByteAt = { in: 'path' } | { in: 'query'; name: string } | { in: 'form'; name: string };

/** Where the URL holds a null character (`%00` in the path, a query parameter's name or value), or null. */
export function nullByteInUrl(url: URL): NullByteAt | null {
	if (/%00/i.test(url.pathname)) return { in: 'path' };
	if (!url.search) return null;
	for (const [name, value] of url.searchParams) {
		if (name.includes('\0') || value.includes('\0')) return { in: 'query', name: name.replaceAll('\0', '') };
	}
	return null;
}

/** The first text field of a form whose name or value holds a null character, or null. Files are not looked at. */
export function nullByteInForm(form: FormData): NullByteAt | null {
	for (const [name, value] of form) {
		if (name.includes('\0') || (typeof value === 'string' && value.includes('\0'))) return { in: 'form', name: name.replaceAll('\0', '') };
	}
	return null;
}
