/**
 * A repository's own status types: the progress statuses and reporting status types it
 * declares in `config_data.yml` (with a label, often a translation key) or uses in its
 * metadata beyond Open SDG's own. Each gets a label and the label's translations. Pure.
 */
import type { StatusType } from './config-data.ts';
import { REPORTING_STATUSES, PROGRESS_STATUSES } from './metadata.ts';
import { translateText, translationsFor, type RepositoryTranslations } from './translations.ts';

export type StatusKind = 'progress' | 'reporting';

export interface RepositoryStatusType {
	kind: StatusKind;
	value: string;
	/** In the repository's default language. */
	label: string;
	/** Language → label, for every language the repository translates it into. */
	translations: Record<string, string>;
	/** Declared in the data configuration (else only used in metadata). */
	declared: boolean;
}

/** `not_available_manual` → `Not available manual`. */
export function labelFromValue(value: string): string {
	const words = value.replace(/[_-]+/g, ' ').trim();
	return words === '' ? value : words.charAt(0).toUpperCase() + words.slice(1);
}

export function isOpenSdgStatus(kind: StatusKind, value: string): boolean {
	return kind === 'progress' ? PROGRESS_STATUSES.includes(value) : (REPORTING_STATUSES as readonly string[]).includes(value);
}

/**
 * The repository's own status types, declared ones first in their order, then the used ones
 * in the order given. Open SDG's own statuses are left out unless declared with a label.
 */
export function repositoryStatusTypes(
	declared: { progress: readonly StatusType[]; reporting: readonly StatusType[] },
	used: { progress: Iterable<string>; reporting: Iterable<string> },
	translations: RepositoryTranslations,
	defaultLanguage: string
): RepositoryStatusType[] {
	const languages = Object.keys(translations);
	const maps = new Map(languages.map((l) => [l, translationsFor(translations, l)]));
	const out: RepositoryStatusType[] = [];
	const seen = new Set<string>();
	const add = (kind: StatusKind, value: string, key: string | undefined, isDeclared: boolean) => {
		const id = `${kind}:${value}`;
		if (seen.has(id)) return;
		if (!isDeclared && isOpenSdgStatus(kind, value)) return;
		seen.add(id);
		// A declared label is a translation key or a text; a used status is looked up as status.<value>.
		const lookups = key !== undefined ? [key] : [`status.${value}`, `status.${kind === 'reporting' ? 'reporting_status_' : ''}${value}`];
		const found: Record<string, string> = {};
		for (const [language, map] of maps) {
			for (const lookup of lookups) {
				const text = translateText(lookup, [], map);
				if (text !== lookup) {
					found[language] = text;
					break;
				}
			}
		}
		const label = found[defaultLanguage] ?? (key !== undefined && !/^[\w-]+\.[\w.-]+$/.test(key) ? key : labelFromValue(value));
		out.push({ kind, value, label, translations: found, declared: isDeclared });
	};
	for (const t of declared.progress) add('progress', t.value, t.label, true);
	for (const t of declared.reporting) add('reporting', t.value, t.label, true);
	for (const v of used.progress) add('progress', v, undefined, false);
	for (const v of used.reporting) add('reporting', v, undefined, false);
	return out;
}
