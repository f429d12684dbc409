/** Server-rendered HTML only: public pages ship no framework JavaScript. */
export const csr = false;
