import { m } from '#lib/paraglide/messages.js';

/** A revision's kind as people read it. */
export function kindLabel(kind: string): string {
	switch (kind) {
		case 'seed':
			return m.revisions_kind_seed();
		case 'import':
			return m.revisions_kind_import();
		case 'upload':
			return m.revisions_kind_upload();
		case 'rollback':
			return m.revisions_kind_rollback();
		default:
			return kind;
	}
}
