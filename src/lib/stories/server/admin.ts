/**
 * What the back office's story forms need from the database: the choices (indicators), and
 * the form's links and authors checked against the catalog and the directory.
 */
import type { Db } from '#lib/server/db/connect.ts';
import { fromJson } from '#lib/server/db/values.ts';
import { localized, type Translations } from '#lib/i18n/localize.ts';
import type { StoryFormValue, StoryProblems } from '../form.ts';
import type { StoryInput } from './writes.ts';

/** Every indicator, for the form's checkboxes, in catalog order. */
export async function indicatorChoices(db: Db, locale: string): Promise<Array<{ id: string; name: string }>> {
	const rows = await db.kysely.selectFrom('indicator').select(['id', 'name', 'translations']).orderBy('position').orderBy('id').execute();
	return rows.map((r) => ({ id: r.id, name: localized(r.name, fromJson<Translations>(r.translations, {}), locale, 'name') }));
}

/**
 * The form's value as a story to write, or the problems: a checked indicator or a linked
 * organization, program or policy that is not there. An organization author whose name is
 * an organization's id or name in the directory is linked to it (and named as there).
 */
export async function resolveStoryForm(db: Db, value: StoryFormValue): Promise<{ ok: true; input: StoryInput } | { ok: false; problems: StoryProblems }> {
	const problems: StoryProblems = {};
	for (const type of ['indicator', 'organization', 'program', 'policy'] as const) {
		const ids = value.links.filter((l) => l.type === type).map((l) => l.id);
		if (!ids.length) continue;
		const found = new Set((await db.kysely.selectFrom(type).select('id').where('id', 'in', ids).execute()).map((r) => r.id));
		if (ids.some((id) => !found.has(id))) problems[type === 'indicator' ? 'indicators' : 'links'] = 'unknown_link';
	}
	if (Object.keys(problems).length) return { ok: false, problems };
	const organizationNames = value.authors.filter((a) => a.kind === 'organization').map((a) => a.name);
	const organizations = organizationNames.length
		? await db.kysely
				.selectFrom('organization')
				.select(['id', 'name'])
				.where((eb) => eb.or([eb('id', 'in', organizationNames), eb('name', 'in', organizationNames)]))
				.execute()
		: [];
	return {
		ok: true,
		input: {
			id: value.id,
			title: value.title,
			summary: value.summary,
			body: value.body,
			publishAt: value.publishAt,
			links: value.links,
			authors: value.authors.map((a) => {
				if (a.kind !== 'organization') return { kind: a.kind, name: a.name };
				const organization = organizations.find((o) => o.id === a.name) ?? organizations.find((o) => o.name === a.name);
				return organization ? { kind: a.kind, name: organization.name, organizationId: organization.id } : { kind: a.kind, name: a.name };
			})
		}
	};
}

/** The story form's fields as typed, for an existing story. */
export function storyFormValues(story: {
	id: string;
	title: string;
	summary: string;
	body: string;
	publishAt: string | null;
	authors: Array<{ kind: string; name: string; organizationId: string | null }>;
	links: Array<{ type: string; id: string }>;
}): { values: Record<string, string>; indicators: string[] } {
	return {
		values: {
			id: story.id,
			title: story.title,
			summary: story.summary,
			body: story.body,
			publishAt: story.publishAt ? story.publishAt.slice(0, 16) : '',
			authors: story.authors.map((a) => `${a.kind}: ${a.kind === 'organization' && a.organizationId ? a.organizationId : a.name}`).join('\n'),
			links: story.links
				.filter((l) => l.type !== 'indicator')
				.map((l) => `${l.type}: ${l.id}`)
				.join('\n')
		},
		indicators: story.links.filter((l) => l.type === 'indicator').map((l) => l.id)
	};
}
