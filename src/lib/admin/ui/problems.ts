import { m } from '#lib/paraglide/messages.js';
import { MAX_LENGTH, type AssignProblems, type FieldProblems, type Problem } from '../forms.ts';

/** A form problem as the sentence the visitor reads, naming the field. */
export function problemText(problem: Problem, label: string, field = ''): string {
	switch (problem) {
		case 'required':
			return m.admin_problem_required({ label });
		case 'too_long':
			return m.admin_problem_too_long({ label, max: /description|about|contact/.test(field) ? MAX_LENGTH.long : MAX_LENGTH.short });
		case 'url':
			return m.admin_problem_url({ label });
		case 'number':
			return m.admin_problem_number({ label });
		case 'year':
			return m.admin_problem_year({ label });
		case 'choice':
			return m.admin_problem_choice({ label });
		case 'target_source':
			return m.admin_problem_target_source();
	}
}

/** Every problem of a form as field id → sentence, for the fields and the error summary. */
export function problemTexts(problems: FieldProblems | undefined, labels: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [field, problem] of Object.entries(problems ?? {})) out[field] = problemText(problem, labels[field] ?? field, field);
	return out;
}

/**
 * The assign form's problems as sentences, keyed by the ids the form gives its fields:
 * `<prefix>-indicators` (the first checkbox) and `<prefix>-area` (the select).
 */
export function assignProblemTexts(problems: AssignProblems | undefined, input: { area: string }, prefix: string): Record<string, string> {
	const out: Record<string, string> = {};
	if (problems?.indicators) out[`${prefix}-indicators`] = m.admin_assign_problem_none();
	if (problems?.area === 'required') out[`${prefix}-area`] = m.admin_assign_problem_area();
	else if (problems?.area === 'choice') out[`${prefix}-area`] = m.admin_assign_problem_unknown_area({ area: input.area });
	return out;
}
