// What "insecure" means for a repository (docs/docker-and-repositories.md): packages and metadata
// fetched over a plain-text transport, http:// or ftp://. Agents report the URL, distribution,
// components and type; they do not report apt's signed-by/trusted=yes options or yum's gpgcheck,
// so whether the metadata is signed cannot be judged here. The flag is derived from the URL on the
// server, not taken from the agent's own isSecure, so a host cannot talk its way out of it. One
// rule, used by the fleet view's SQL filter and by every reply.
import { sql, type Expression, type SqlBool } from 'kysely'

const INSECURE_SCHEMES = ['http://', 'ftp://']

export function isInsecureRepositoryUrl(url: string): boolean {
  const lower = url.trim().toLowerCase()
  return INSECURE_SCHEMES.some((scheme) => lower.startsWith(scheme))
}

/** The same rule as a condition on a URL column. */
export function insecureRepositoryUrl(urlColumn: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(
    INSECURE_SCHEMES.map((scheme) => sql`lower(substr(trim(${sql.ref(urlColumn)}), 1, ${scheme.length})) = ${scheme}`),
    sql` or `
  )})`
}
