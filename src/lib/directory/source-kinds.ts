import { m } from '#lib/paraglide/messages.js';

/** A funding record's kind of source in the page's language. */
export function sourceKindLabel(kind: string): string {
	switch (kind) {
		case 'federal':
			return m.funding_source_federal();
		case 'state':
			return m.funding_source_state();
		case 'local':
			return m.funding_source_local();
		case 'philanthropy':
			return m.funding_source_philanthropy();
		case 'private':
			return m.funding_source_private();
		default:
			return m.funding_source_unstated();
	}
}
