const TOKEN_PARAM = '_authToken=';

/**
 * colyseus.js 0.16 appends the auth token to the room's WebSocket URL without encoding it.
 * initData is itself a query string (`user=...&auth_date=...&hash=...`), so the server would
 * read only its first field. This URL builder re-appends the token percent-encoded; it is
 * always the last parameter the SDK adds. Pass it as `new Client(url, { urlBuilder })`.
 */
export function encodeTokenParam(token: string): (url: URL) => string {
  return (url: URL): string => {
    const href = url.href;
    const at = href.search(/[?&]_authToken=/);
    if (at < 0) return href;
    return `${href.slice(0, at + 1)}${TOKEN_PARAM}${encodeURIComponent(token)}`;
  };
}
