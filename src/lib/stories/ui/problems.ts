import { m } from '#lib/paraglide/messages.js';
import { COVER_MAX_BYTES, STORY_LIMITS, type StoryProblem, type StoryProblems } from '../form.ts';

/** The limit of a field, for "at most N characters". */
function maxOf(field: string): number {
	return (STORY_LIMITS as Record<string, number>)[field] ?? STORY_LIMITS.title;
}

/** A story form problem as the sentence the editor reads: the field, and what to do. */
export function storyProblemText(problem: StoryProblem, label: string, field: string): string {
	switch (problem) {
		case 'required':
			return m.admin_problem_required({ label });
		case 'too_long':
			return m.admin_problem_too_long({ label, max: maxOf(field) });
		case 'id_format':
			return m.admin_story_problem_id({ label });
		case 'id_taken':
			return m.admin_story_problem_id_taken({ label });
		case 'date':
			return m.admin_story_problem_date({ label });
		case 'author_line':
			return m.admin_story_problem_authors({ label });
		case 'link_line':
			return m.admin_story_problem_links({ label });
		case 'unknown_link':
			return m.admin_story_problem_unknown_link({ label });
		case 'cover_required':
			return m.admin_story_problem_cover_required({ label });
		case 'cover_type':
			return m.admin_story_problem_cover_type({ label });
		case 'cover_size':
			return m.admin_story_problem_cover_size({ label, limit: `${COVER_MAX_BYTES / 1024 / 1024} MB` });
		case 'alt_required':
			return m.admin_story_problem_alt({ label });
	}
}

export function storyProblemTexts(problems: StoryProblems | undefined, labels: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [field, problem] of Object.entries(problems ?? {})) if (problem) out[field] = storyProblemText(problem, labels[field] ?? field, field);
	return out;
}

/** The story form's labels, by field. */
export function storyFieldLabels(): Record<string, string> {
	return {
		id: m.admin_story_field_id(),
		title: m.admin_story_field_title(),
		summary: m.admin_story_field_summary(),
		body: m.admin_story_field_body(),
		publishAt: m.admin_story_field_publish_at(),
		authors: m.admin_story_field_authors(),
		indicators: m.admin_story_field_indicators(),
		links: m.admin_story_field_links(),
		cover: m.admin_story_field_cover(),
		alt: m.admin_story_field_alt()
	};
}

/** Where a story stands, as a word for the back office. */
export function storyStateText(state: 'draft' | 'pending_review' | 'scheduled' | 'live'): string {
	switch (state) {
		case 'draft':
			return m.admin_story_state_draft();
		case 'pending_review':
			return m.admin_story_state_pending_review();
		case 'scheduled':
			return m.admin_story_state_scheduled();
		case 'live':
			return m.admin_story_state_live();
	}
}
