/**
 * Server-rendered HTML only, on every page (an unknown address's 404 page too): public pages
 * ship no framework JavaScript, only their own small enhancements from static/js.
 */
export const csr = false;
