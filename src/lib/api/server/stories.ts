/** Published stories for the open data API. */
import type { Db } from '#lib/server/db/connect.ts';
import { getPublishedStory, listPublishedStories, type StoryCard, type StoryDetail } from '#lib/stories/server/queries.ts';
import { renderMarkdown } from '#lib/stories/render.ts';
import { coverHref } from '#lib/stories/ui/format.ts';
import type { StoriesResponse, StoryResponse } from '../schemas.ts';
import { API_BASE, type Links } from './links.ts';

function summary(story: StoryCard, links: Links): StoriesResponse['stories'][number] {
	return {
		id: story.id,
		title: story.title,
		summary: story.summary,
		date: story.date,
		is_sample: story.isSample,
		authors: story.authors.map((a) => ({ kind: a.kind, name: a.name, organization_id: a.organizationId })),
		indicators: story.indicators.map((i) => ({ id: i.id, name: i.name, api_url: links.indicatorApi(i.id) })),
		cover: story.cover ? { url: links.absolute(coverHref(story.id, story.cover.version)), alt: story.cover.alt } : null,
		url: links.absolute(`/stories/${encodeURIComponent(story.id)}`),
		api_url: links.absolute(`${API_BASE}/stories/${encodeURIComponent(story.id)}`)
	};
}

export async function storiesApi(db: Db, locale: string, links: Links): Promise<StoriesResponse> {
	return { stories: (await listPublishedStories(db, locale)).map((s) => summary(s, links)) };
}

export async function storyApi(db: Db, id: string, locale: string, links: Links): Promise<StoryResponse | undefined> {
	const story: StoryDetail | undefined = await getPublishedStory(db, id, locale);
	if (!story) return undefined;
	return {
		...summary(story, links),
		body_markdown: story.body,
		body_html: renderMarkdown(story.body.replace(/^[ \t]*\{\{\s*chart\s+[^}]*\}\}[ \t]*$/gim, '')),
		links: story.links.filter((l) => l.exists).map((l) => ({ type: l.type, id: l.id, name: l.name }))
	};
}
