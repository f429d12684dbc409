/**
 * What an indicator's Open SDG metadata says, in the sections a reader looks for: goal and
 * target, definition and computation, sources (with their coverage and release dates),
 * coverage, and related indicators. Read from the imported files as kept (the meta file,
 * then the indicator config on top); values are plain text (markup is dropped) and links
 * only http(s) addresses. Pure.
 */
import type { StoredOpenSdgMetadata } from './server/indicator-upsert.ts';

export interface MetadataLink {
	url: string;
	text: string;
}

export interface MetadataSourceSection {
	organisation?: string;
	link?: MetadataLink;
	coverage?: string;
	periodicity?: string;
	/** The source's own release (or last-updated) date, as written. */
	releaseDate?: string;
	nextRelease?: string;
	otherInfo?: string;
}

export interface MetadataSections {
	goal?: string;
	targetId?: string;
	target?: string;
	/** The global (UN) metadata for the indicator. */
	globalMetadata?: MetadataLink;
	definition?: string;
	computation?: string;
	computationDefinitions?: string;
	limitations?: string;
	custodian?: string;
	coverage?: string;
	sources: MetadataSourceSection[];
	related: string[];
}

/** Plain text of a metadata value: tags and Markdown link syntax dropped, whitespace folded; undefined when empty. */
export function plainText(value: unknown): string | undefined {
	if (typeof value === 'number') return String(value);
	if (typeof value !== 'string') return undefined;
	const text = value
		.replace(/<[^>]*>/g, ' ')
		.replace(/\[([^\]]*)\]\(([^)]*)\)/g, '$1')
		.replace(/&nbsp;/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return text === '' ? undefined : text;
}

function httpUrl(value: unknown): string | undefined {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!/^https?:\/\//i.test(text)) return undefined;
	try {
		return new URL(text).href;
	} catch {
		return undefined;
	}
}

function sourceIndexes(raw: Record<string, unknown>): number[] {
	const found = new Set<number>();
	for (const key of Object.keys(raw)) {
		const match = /^source_[a-z_]+_(\d+)$/.exec(key);
		if (match) found.add(Number(match[1]));
	}
	return [...found].sort((a, b) => a - b);
}

function listOf(value: unknown): string[] {
	const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,;\n]/) : [];
	return items.map(plainText).filter((v): v is string => v !== undefined);
}

/** The sections of `stored` metadata; every field absent from the files is left out. */
export function metadataSections(stored: StoredOpenSdgMetadata): MetadataSections {
	const raw: Record<string, unknown> = { ...(stored.meta?.raw ?? {}), ...(stored.config?.raw ?? {}) };
	const text = (key: string) => plainText(raw[key]);
	const sections: MetadataSections = { sources: [], related: listOf(raw['related_indicators']) };
	const set = <K extends keyof MetadataSections>(key: K, value: MetadataSections[K] | undefined) => {
		if (value !== undefined) sections[key] = value;
	};
	set('goal', text('sdg_goal'));
	set('targetId', text('target_id'));
	set('target', text('target'));
	const globalUrl = httpUrl(raw['goal_meta_link']);
	if (globalUrl) sections.globalMetadata = { url: globalUrl, text: text('goal_meta_link_text') ?? globalUrl };
	set('definition', text('indicator_definition'));
	set('computation', text('computation_calculations'));
	set('computationDefinitions', text('computation_definitions'));
	set('limitations', text('comments_limitations') ?? text('computation_limitations'));
	set('custodian', text('un_custodian_agency'));
	set('coverage', text('national_geographical_coverage'));
	for (const n of sourceIndexes(raw)) {
		if (raw[`source_active_${n}`] === false) continue;
		const field = (name: string) => plainText(raw[`source_${name}_${n}`]);
		const source: MetadataSourceSection = {};
		const put = <K extends keyof MetadataSourceSection>(key: K, value: MetadataSourceSection[K] | undefined) => {
			if (value !== undefined) source[key] = value;
		};
		put('organisation', field('organisation'));
		const url = httpUrl(raw[`source_url_${n}`]);
		if (url) source.link = { url, text: field('url_text') ?? url };
		put('coverage', field('geographical_coverage'));
		put('periodicity', field('periodicity'));
		put('releaseDate', field('release_date'));
		put('nextRelease', field('next_release'));
		put('otherInfo', field('other_info'));
		if (source.organisation || source.link) sections.sources.push(source);
	}
	return sections;
}

/** Whether there is anything to show beyond what the page already says. */
export function hasMetadataSections(s: MetadataSections): boolean {
	return Object.entries(s).some(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
}
