// @ts-check
/*
 * Progressive enhancement for the indicator page's "Share this view" field. Without
 * JavaScript the reader selects the address in the readonly field. With it, a button
 * copies the address and a polite live region announces "Link copied".
 */
(() => {
	if (!navigator.clipboard) return;
	const reveal = () => document.querySelectorAll('button[data-copy]').forEach((b) => b.removeAttribute('hidden'));
	document.addEventListener('DOMContentLoaded', reveal);
	// The view form swaps the main content in place; show the new page's button too.
	new MutationObserver(reveal).observe(document.documentElement, { childList: true, subtree: true });
	document.addEventListener('click', async (event) => {
		const button = /** @type {HTMLElement} */ (event.target).closest?.('button[data-copy]');
		if (!button) return;
		const field = /** @type {HTMLInputElement | null} */ (document.getElementById(button.getAttribute('data-copy') ?? ''));
		const status = button.closest('section')?.querySelector('.share__status');
		if (!field) return;
		try {
			await navigator.clipboard.writeText(field.value);
			if (status) {
				status.textContent = '';
				setTimeout(() => (status.textContent = button.getAttribute('data-copied') ?? ''), 50);
			}
		} catch {
			field.select();
		}
	});
})();
