import type { Locale } from '#lib/paraglide/runtime.js';
import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { m } from '#lib/paraglide/messages.js';
import { getDb, getRegion } from '#lib/server/context.ts';
import { localized } from '#lib/i18n/localize.ts';
import { applyRegionOverrides, readRegionOverrides } from '#lib/region/server/settings.ts';
import { rateLimitAddress } from '#lib/server/http/client-address.ts';
import { parseContactForm, sendContactMessage, type ContactField, type ContactFieldError, type ContactTopic } from '#lib/contact/server/contact.ts';

/** A plain HTML form: nothing to hydrate. */
export const csr = false;

/** The form's CSRF token (so the page is never cached). */
export const load: PageServerLoad = ({ locals }) => ({ csrf: locals.csrf() });

const FIELD_ERRORS: Record<ContactFieldError, () => string> = {
	name_missing: () => m.contact_error_name_missing(),
	name_long: () => m.contact_error_name_long(),
	email_invalid: () => m.contact_error_email_invalid(),
	topic_missing: () => m.contact_error_topic_missing(),
	message_short: () => m.contact_error_message_short(),
	message_long: () => m.contact_error_message_long()
};

/** The topic's name in the region's default language, for the person who reads the mail. */
function topicLabel(topic: ContactTopic, locale: Locale): string {
	const labels: Record<ContactTopic, string> = {
		question: m.contact_topic_question({}, { locale }),
		correction: m.contact_topic_correction({}, { locale }),
		data: m.contact_topic_data({}, { locale }),
		partnership: m.contact_topic_partnership({}, { locale }),
		other: m.contact_topic_other({}, { locale })
	};
	return labels[topic];
}

export const actions: Actions = {
	default: async ({ request, getClientAddress, locals }) => {
		const parsed = parseContactForm(await request.formData());
		if (!parsed.ok && parsed.spam) return fail(400, { values: parsed.values, message: m.contact_spam() });
		if (!parsed.ok) {
			const errors: Partial<Record<ContactField, string>> = {};
			for (const [field, code] of Object.entries(parsed.errors) as Array<[ContactField, ContactFieldError]>) errors[field] = FIELD_ERRORS[code]();
			return fail(400, { values: parsed.values, errors });
		}
		const db = await getDb();
		const pack = getRegion().settings;
		const settings = applyRegionOverrides(pack, await readRegionOverrides(db));
		const result = await sendContactMessage(db, parsed.input, {
			to: pack.contactEmail,
			address: rateLimitAddress(getClientAddress()),
			regionName: settings.shortName,
			topicLabel: topicLabel(parsed.input.topic, pack.defaultLanguage as Locale)
		});
		if (!result.sent && result.reason === 'rate_limited') return fail(429, { values: parsed.values, message: m.contact_rate_limited({ minutes: result.retryAfterMinutes }) });
		if (!result.sent) return fail(503, { values: parsed.values, message: m.contact_not_sent() });
		return { sent: true, name: parsed.input.name, email: parsed.input.email, region: localized(settings.shortName, settings.translations, locals.locale, 'shortName') };
	}
};
