// Splitting absolute URLs without the URL parser on hot paths (one call per request).

/** `https://host:port` and `/path?query` of an absolute URL. */
export function splitUrl(url: string): { origin: string; path: string } {
  const authority = url.indexOf('//') + 2;
  const slash = url.indexOf('/', authority);
  const query = url.indexOf('?', authority);
  const end = slash === -1 ? (query === -1 ? url.length : query) : query === -1 ? slash : Math.min(slash, query);
  const rest = url.slice(end);
  return { origin: url.slice(0, end).toLowerCase(), path: rest === '' ? '/' : rest.startsWith('?') ? `/${rest}` : rest };
}
