/**
 * Query parameters whose values are a person's secret and never reach the log: the contact phone that, with an
 * appeal's reference (in the path), shows and withdraws the appeal (`GET /api/public/appeals/{reference}?phone=`).
 */
const SECRET_QUERY_PARAMS = new Set(['phone']);

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/** A request's URL as the log keeps it: its path and query, with the value of a secret parameter left out. */
export function urlForLog(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq < 0 ? part : part.slice(0, eq);
      return SECRET_QUERY_PARAMS.has(decodedName(name)) ? `${name}=redacted` : part;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}
