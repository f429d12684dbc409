/**
 * The back office's story forms, read and checked (zod). Pure, unit-tested: each returns the
 * clean values or, per field, a problem code that the page turns into a sentence naming the
 * field and what to do (ui/problems.ts).
 */
import { z } from 'zod';
import { AUTHOR_KINDS, LINK_TYPES, isStoryId, type AuthorKind, type LinkType } from './model.ts';

export type StoryProblem =
	| 'required'
	| 'too_long'
	| 'id_format'
	| 'id_taken'
	| 'date'
	| 'author_line'
	| 'link_line'
	| 'unknown_link'
	| 'cover_required'
	| 'cover_type'
	| 'cover_size'
	| 'alt_required';

export type StoryProblems = Partial<Record<string, StoryProblem>>;

export const STORY_LIMITS = { title: 200, summary: 500, body: 60_000, authors: 2000, links: 2000, alt: 400 } as const;

/** The fields of the story form, in the order shown. */
export const STORY_FIELDS = ['id', 'title', 'summary', 'body', 'publishAt', 'authors', 'links'] as const;

export interface StoryFormValue {
	id: string;
	title: string;
	summary: string;
	body: string;
	publishAt: string | null;
	authors: Array<{ kind: AuthorKind; name: string }>;
	links: Array<{ type: LinkType; id: string }>;
}

export type StoryFormResult =
	| { ok: true; value: StoryFormValue; values: Record<string, string>; indicators: string[] }
	| { ok: false; problems: StoryProblems; values: Record<string, string>; indicators: string[] };

function text(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : '';
}

/** `datetime-local` input (`2026-06-01T09:30`), read as UTC; a full ISO time is taken too. */
export function readPublishAt(value: string): string | null | undefined {
	if (!value) return null;
	const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z)?$/.exec(value);
	if (!m) return undefined;
	const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
	if (date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3]) || date.getUTCFullYear() < 2000 || date.getUTCFullYear() > 2100) return undefined;
	return date.toISOString();
}

/** An ISO time as the form's `datetime-local` value (UTC). */
export function publishAtValue(iso: string | null): string {
	return iso ? iso.slice(0, 16) : '';
}

/** `kind: name` lines; a line without a kind is a person. */
export function readAuthorLines(value: string): Array<{ kind: AuthorKind; name: string }> | undefined {
	const authors: Array<{ kind: AuthorKind; name: string }> = [];
	for (const raw of value.split('\n')) {
		const line = raw.trim();
		if (!line) continue;
		const m = /^([a-z]+)\s*:\s*(.+)$/i.exec(line);
		const kind = (m ? m[1]!.toLowerCase() : 'person') as AuthorKind;
		const name = (m ? m[2]! : line).trim();
		if (!(AUTHOR_KINDS as readonly string[]).includes(kind) || !name || name.length > 200) return undefined;
		authors.push({ kind, name });
	}
	return authors;
}

/** `type: id` lines (organization, program or policy). */
export function readLinkLines(value: string): Array<{ type: LinkType; id: string }> | undefined {
	const links: Array<{ type: LinkType; id: string }> = [];
	for (const raw of value.split('\n')) {
		const line = raw.trim();
		if (!line) continue;
		const m = /^([a-z]+)\s*:\s*(\S+)$/i.exec(line);
		if (!m) return undefined;
		const type = m[1]!.toLowerCase() as LinkType;
		if (!(LINK_TYPES as readonly string[]).includes(type) || type === 'indicator') return undefined;
		links.push({ type, id: m[2]! });
	}
	return links;
}

const storySchema = z.object({
	id: z.string().refine(isStoryId, 'id_format'),
	title: z.string().min(1, 'required').max(STORY_LIMITS.title, 'too_long'),
	summary: z.string().max(STORY_LIMITS.summary, 'too_long'),
	body: z.string().min(1, 'required').max(STORY_LIMITS.body, 'too_long'),
	publishAt: z.string().refine((v) => readPublishAt(v) !== undefined, 'date'),
	authors: z
		.string()
		.max(STORY_LIMITS.authors, 'too_long')
		.refine((v) => readAuthorLines(v) !== undefined, 'author_line'),
	links: z
		.string()
		.max(STORY_LIMITS.links, 'too_long')
		.refine((v) => readLinkLines(v) !== undefined, 'link_line')
});

/**
 * The story form. `id` comes from the form for a new story (`fixedId` undefined; blank =
 * made from the title by the caller) and is fixed for an existing one. Checked indicators
 * come as `indicator` fields.
 */
export function readStoryForm(form: FormData, fixedId?: string): StoryFormResult {
	const values = Object.fromEntries(STORY_FIELDS.map((f) => [f, text(form, f)])) as Record<(typeof STORY_FIELDS)[number], string>;
	if (fixedId !== undefined) values.id = fixedId;
	const indicators = [...new Set(form.getAll('indicator').filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()))];
	const parsed = storySchema.safeParse(values);
	if (!parsed.success) {
		const problems: StoryProblems = {};
		for (const issue of parsed.error.issues) {
			const field = String(issue.path[0]);
			problems[field] ??= issue.message as StoryProblem;
		}
		return { ok: false, problems, values, indicators };
	}
	return {
		ok: true,
		values,
		indicators,
		value: {
			id: values.id,
			title: values.title,
			summary: values.summary,
			body: values.body,
			publishAt: readPublishAt(values.publishAt) ?? null,
			authors: readAuthorLines(values.authors) ?? [],
			links: [...indicators.map((id) => ({ type: 'indicator' as const, id })), ...(readLinkLines(values.links) ?? [])]
		}
	};
}

// ---- Cover image ---------------------------------------------------------------------

/** The largest cover image taken. */
export const COVER_MAX_BYTES = 2 * 1024 * 1024;
/** Room for the rest of the cover form (the text alternative, the CSRF token, the multipart framing). */
export const COVER_FORM_OVERHEAD = 64 * 1024;

export const COVER_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type CoverType = (typeof COVER_TYPES)[number];

/** The image type the file's first bytes say, whatever its name or the browser claims. */
export function sniffImageType(bytes: Uint8Array): CoverType | undefined {
	const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
	if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
	return undefined;
}

export type CoverFormResult =
	| { ok: true; value: { bytes: Buffer; contentType: CoverType; alt: string } | { alt: string } ; alt: string }
	| { ok: false; problems: StoryProblems; alt: string };

/**
 * The cover form: a new image (`cover`) with its text alternative (`alt`), or only a new
 * text for the image there is (`hasCover`). Nothing is taken unless all of it is right.
 */
export async function readCoverForm(form: FormData, hasCover: boolean): Promise<CoverFormResult> {
	const alt = text(form, 'alt');
	const file = form.get('cover');
	const problems: StoryProblems = {};
	let image: { bytes: Buffer; contentType: CoverType } | undefined;
	if (file instanceof File && file.size > 0) {
		if (file.size > COVER_MAX_BYTES) problems.cover = 'cover_size';
		else {
			const bytes = Buffer.from(await file.arrayBuffer());
			const contentType = sniffImageType(bytes);
			if (!contentType) problems.cover = 'cover_type';
			else image = { bytes, contentType };
		}
	} else if (!hasCover) problems.cover = 'cover_required';
	if (!alt) problems.alt = 'alt_required';
	else if (alt.length > STORY_LIMITS.alt) problems.alt = 'too_long';
	if (Object.keys(problems).length) return { ok: false, problems, alt };
	return { ok: true, value: image ? { ...image, alt } : { alt }, alt };
}
