/**
 * Where things live in an Open SDG data repository, as pure path helpers. Paths are relative
 * to the repository root and use forward slashes (backslashes and a leading `./` are accepted).
 *
 * - data:   `data/indicator_<id>.csv`. The file name decides the id; sub-folders of `data/`
 *           are allowed and ignored (`data/goal-1/indicator_1-2-1.csv` is indicator 1-2-1),
 *           because sdg-build derives the id from the file name alone. A folder named after
 *           the id (`data/1-2-1/values.csv`) is not an Open SDG layout and is not recognised.
 * - meta:   `meta/<id>.md` (YAML front matter + Markdown), or `meta/<id>.yml` / `.yaml`.
 *           Only files directly in `meta/`: sub-folders hold translations or other material.
 * - config: `indicator-config/<id>.yml` / `.yaml`, directly in `indicator-config/`.
 *
 * Ids: lowercase letters, digits and single dashes, e.g. `1-2-1`, `10-c-1`, `unemployment`.
 * The extension may be upper case (`.CSV`); the id may not.
 */

/** Lowercase letters and digits in groups joined by single dashes. */
export const INDICATOR_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isValidIndicatorId(id: string): boolean {
	return INDICATOR_ID_PATTERN.test(id);
}

export const DATA_DIR = 'data';
export const META_DIR = 'meta';
export const CONFIG_DIR = 'indicator-config';

export type RepositoryPath =
	| { kind: 'data'; id: string; path: string }
	| { kind: 'meta'; id: string; path: string; format: 'md' | 'yml' }
	| { kind: 'config'; id: string; path: string }
	/** Looks like an indicator file but its name cannot be used; `reason` says why, for the steward. */
	| { kind: 'invalid'; path: string; reason: string; fix: string }
	/** Not an indicator file (README, LICENSE, site config, …). */
	| { kind: 'other'; path: string };

/** Forward slashes, no leading `./` or `/`, no empty segments. */
export function normalizeRepositoryPath(relPath: string): string {
	return relPath
		.replaceAll('\\', '/')
		.split('/')
		.filter((segment) => segment !== '' && segment !== '.')
		.join('/');
}

function invalidId(path: string, stem: string, example: string): RepositoryPath {
	const suggestion = stem
		.trim()
		.toLowerCase()
		.replace(/[._\s]+/g, '-')
		.replace(/[^a-z0-9-]/g, '')
		.replace(/-+/g, '-')
		.replace(/^-|-$/g, '');
	return {
		kind: 'invalid',
		path,
		reason: `"${stem}" is not a valid indicator id: use lowercase letters, digits and dashes only.`,
		fix:
			suggestion !== '' && isValidIndicatorId(suggestion)
				? `Rename the file to ${example.replace('<id>', suggestion)}.`
				: `Rename the file to ${example}, where <id> is like 1-2-1 or unemployment.`
	};
}

/** What a repository file is: an indicator's data, meta or config, a misnamed one, or something else. */
export function classifyRepositoryPath(relPath: string): RepositoryPath {
	const path = normalizeRepositoryPath(relPath);
	const segments = path.split('/');
	const top = segments[0];
	const name = segments.at(-1) ?? '';

	if (top === DATA_DIR && segments.length >= 2) {
		const match = /^indicator_(.*)\.csv$/i.exec(name);
		if (!match) return { kind: 'other', path };
		const stem = match[1] ?? '';
		return isValidIndicatorId(stem) ? { kind: 'data', id: stem, path } : invalidId(path, stem, `${DATA_DIR}/indicator_<id>.csv`);
	}
	if (top === META_DIR && segments.length === 2) {
		const match = /^(.*)\.(md|yml|yaml)$/i.exec(name);
		if (!match) return { kind: 'other', path };
		const stem = match[1] ?? '';
		const format = (match[2] ?? '').toLowerCase() === 'md' ? 'md' : 'yml';
		return isValidIndicatorId(stem) ? { kind: 'meta', id: stem, path, format } : invalidId(path, stem, `${META_DIR}/<id>.${format}`);
	}
	if (top === CONFIG_DIR && segments.length === 2) {
		const match = /^(.*)\.(yml|yaml)$/i.exec(name);
		if (!match) return { kind: 'other', path };
		const stem = match[1] ?? '';
		return isValidIndicatorId(stem) ? { kind: 'config', id: stem, path } : invalidId(path, stem, `${CONFIG_DIR}/<id>.yml`);
	}
	return { kind: 'other', path };
}

/** `data/indicator_1-2-1.csv` → `1-2-1`; null for any other file. */
export function indicatorIdFromDataPath(relPath: string): string | null {
	const info = classifyRepositoryPath(relPath);
	return info.kind === 'data' ? info.id : null;
}

/** `meta/1-2-1.md` (or `.yml`, `.yaml`) → `1-2-1`; null for any other file. */
export function indicatorIdFromMetaPath(relPath: string): string | null {
	const info = classifyRepositoryPath(relPath);
	return info.kind === 'meta' ? info.id : null;
}

/** `indicator-config/1-2-1.yml` → `1-2-1`; null for any other file. */
export function indicatorIdFromConfigPath(relPath: string): string | null {
	const info = classifyRepositoryPath(relPath);
	return info.kind === 'config' ? info.id : null;
}

function assertId(id: string): void {
	if (!isValidIndicatorId(id)) {
		throw new Error(`"${id}" is not a valid indicator id: use lowercase letters, digits and dashes only (like 1-2-1 or unemployment).`);
	}
}

export function dataPathFor(id: string): string {
	assertId(id);
	return `${DATA_DIR}/indicator_${id}.csv`;
}

export function metaPathFor(id: string, format: 'md' | 'yml' = 'md'): string {
	assertId(id);
	return `${META_DIR}/${id}.${format}`;
}

export function configPathFor(id: string): string {
	assertId(id);
	return `${CONFIG_DIR}/${id}.yml`;
}
