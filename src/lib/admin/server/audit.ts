import type { Db } from '#lib/server/db/connect.ts';

/** The actions and subject types that occur in the audit log, for the filter's choices. */
export async function auditFilterChoices(db: Db): Promise<{ actions: string[]; subjectTypes: string[] }> {
	const [actions, types] = await Promise.all([
		db.kysely.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
		db.kysely.selectFrom('audit_log').select('subject_type').distinct().orderBy('subject_type').execute()
	]);
	return { actions: actions.map((r) => r.action), subjectTypes: types.map((r) => r.subject_type) };
}
