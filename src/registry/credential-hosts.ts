// Where a token may go. A token for an audience is sent only to that audience's hosts:
// Microsoft's hosts for the Azure audiences skyql knows (below), and the origins the user
// configured for a provider (`--endpoint`, the library's `endpoints`). Nothing a statement, a
// spec, a registry document, a cache file or a response says can add a host.
//
// The decision is made on the parsed URL, and only a URL whose origin is already in canonical
// form passes: the transport connects to the origin exactly as written, so what was checked is
// what is reached (no userinfo, no default port written out, no backslash or percent tricks).

import { EngineError } from '../errors.ts';
import { splitUrl } from '../util/url.ts';
import { constantSet } from '../util/caches.ts';

/** The hosts of each Azure audience, by cloud: a host matches itself and its dot-bounded subdomains. */
const ARM_HOSTS = ['management.azure.com', 'management.usgovcloudapi.net', 'management.chinacloudapi.cn'];
const SYNAPSE_HOSTS = ['dev.azuresynapse.net', 'dev.azuresynapse.usgovcloudapi.net', 'dev.azuresynapse.azure.cn'];

export const AUDIENCE_HOSTS: Readonly<Record<string, readonly string[]>> = {
  'https://management.azure.com': ARM_HOSTS,
  'https://management.core.windows.net': ARM_HOSTS,
  'https://management.usgovcloudapi.net': ['management.usgovcloudapi.net'],
  'https://management.core.usgovcloudapi.net': ['management.usgovcloudapi.net'],
  'https://management.chinacloudapi.cn': ['management.chinacloudapi.cn'],
  'https://management.core.chinacloudapi.cn': ['management.chinacloudapi.cn'],
  'https://dev.azuresynapse.net': SYNAPSE_HOSTS,
  'https://dev.azuresynapse.usgovcloudapi.net': ['dev.azuresynapse.usgovcloudapi.net'],
  'https://dev.azuresynapse.azure.cn': ['dev.azuresynapse.azure.cn'],
  // Data-plane services of StackQL's Azure provider (src/registry/stackql/audience.ts), with the
  // audience and hosts Microsoft documents for each (public cloud, and the sovereign twins of Key
  // Vault and Storage).
  'https://vault.azure.net': ['vault.azure.net'],
  'https://vault.usgovcloudapi.net': ['vault.usgovcloudapi.net'],
  'https://vault.azure.cn': ['vault.azure.cn'],
  'https://managedhsm.azure.net': ['managedhsm.azure.net'],
  'https://storage.azure.com': ['blob.core.windows.net', 'file.core.windows.net', 'queue.core.windows.net', 'table.core.windows.net', 'dfs.core.windows.net'],
  'https://cognitiveservices.azure.com': ['cognitiveservices.azure.com', 'openai.azure.com'],
  'https://search.azure.com': ['search.windows.net'],
  'https://azconfig.io': ['azconfig.io'],
  'https://batch.core.windows.net': ['batch.azure.com'],
  'https://api.loganalytics.io': ['api.loganalytics.io'],
};

/** The audience (resource, no `/.default`) whose hosts include a host; the first listed wins (ARM for management.azure.com). */
export function audienceForHost(hostname: string): string | undefined {
  return Object.keys(AUDIENCE_HOSTS).find((audience) => AUDIENCE_HOSTS[audience].some((suffix) => hostMatches(hostname, suffix)));
}

export const ARM_AUDIENCE = 'https://management.azure.com/.default';

/** `https://management.azure.com/.default`, `…/`, `…` all name one resource. */
export function audienceResource(audience: string): string {
  return audience
    .replace(/\/\.default$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** Microsoft's hosts for an audience; none for an audience skyql does not know. */
export function audienceHosts(audience: string): readonly string[] {
  const resource = audienceResource(audience);
  // Own keys only: an audience a document names `constructor` is not Object's.
  return Object.hasOwn(AUDIENCE_HOSTS, resource) ? AUDIENCE_HOSTS[resource] : [];
}

export function hostMatches(hostname: string, suffix: string): boolean {
  return hostname === suffix || hostname.endsWith(`.${suffix}`);
}

/** The origin a URL will connect to, when it is written canonically; undefined otherwise. */
export function canonicalOrigin(url: string): string | undefined {
  const written = splitUrl(url).origin;
  let parsed: URL;
  try {
    parsed = new URL(`${written}/`);
  } catch {
    return undefined;
  }
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.origin === written ? parsed.origin : undefined;
}

/**
 * Whether a token for `audience` may be sent to `url`: the user's own origins for the provider,
 * or https on the default port to one of the audience's hosts.
 */
export function isAllowedOrigin(origin: string, audience: string, userOrigins: ReadonlySet<string>): boolean {
  if (userOrigins.has(origin)) return true;
  const parsed = new URL(`${origin}/`);
  if (parsed.protocol !== 'https:' || parsed.port !== '') return false;
  return audienceHosts(audience).some((suffix) => hostMatches(parsed.hostname, suffix));
}

/** The origin of a user-configured base URL (`--endpoint azure=http://127.0.0.1:8080/`). */
export function endpointOrigin(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '' && parsed.origin !== 'null' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The user's origins per provider, from the endpoint overrides: `azure=…` and
 * `azure.synapse_artifacts=…` both name provider azure's traffic.
 */
export function userOriginsByProvider(endpoints: Readonly<Record<string, string>>): Map<string, Set<string>> {
  const origins = new Map<string, Set<string>>();
  for (const [key, url] of Object.entries(endpoints)) {
    const origin = endpointOrigin(url);
    if (!origin) continue;
    const provider = key.split('.')[0];
    let set = origins.get(provider);
    if (!set) origins.set(provider, (set = new Set()));
    set.add(origin);
  }
  return origins;
}

const NO_ORIGINS = constantSet<string>([]);
const NO_DOCUMENT_ORIGINS: readonly string[] = Object.freeze([]);

/**
 * The engine's answer to "may this token go there?", remembered per origin: checks run for every
 * request (first, next page, status poll), so each distinct origin is parsed once.
 */
export class CredentialHosts {
  private readonly userOrigins: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly verdicts = new Map<string, boolean>();
  /** Whether a provider's credential is an Azure token (azure_default, the library's credential): bound to Azure's hosts only. */
  private readonly signsWithAzure: (provider: string) => boolean;

  constructor(endpoints: Readonly<Record<string, string>> = {}, signsWithAzure: (provider: string) => boolean = () => true) {
    this.userOrigins = userOriginsByProvider(endpoints);
    this.signsWithAzure = signsWithAzure;
  }

  /**
   * Throws AUTH_UNTRUSTED_HOST unless a token of the audience may be sent to the URL.
   * `documentOrigins`: the https origins of a pulled StackQL document's servers, for a provider
   * whose credential is not an Azure token (the registry sets them, never a statement or a spec).
   */
  check(provider: string, audience: string, url: string, operation: string, pulledOrigins: readonly string[] = []): void {
    // An Azure token stays with Azure's hosts, whatever a document's servers say.
    const documentOrigins = pulledOrigins.length > 0 && this.signsWithAzure(provider) ? NO_DOCUMENT_ORIGINS : pulledOrigins;
    const written = splitUrl(url).origin;
    const key = `${provider}\0${audience}\0${written}\0${documentOrigins.join(' ')}`;
    let allowed = this.verdicts.get(key);
    if (allowed === undefined) {
      const origin = canonicalOrigin(url);
      allowed = origin !== undefined && (documentOrigins.includes(origin) || isAllowedOrigin(origin, audience, this.userOrigins.get(provider) ?? NO_ORIGINS));
      if (this.verdicts.size >= 1_000) this.verdicts.clear();
      this.verdicts.set(key, allowed);
    }
    if (!allowed) throw untrustedHost(provider, audience, written, operation, documentOrigins);
  }

  /** The user's origins for a provider (for messages and REGISTRY ADD). */
  originsOf(provider: string): ReadonlySet<string> {
    return this.userOrigins.get(provider) ?? NO_ORIGINS;
  }
}

function untrustedHost(provider: string, audience: string, origin: string, operation: string, documentOrigins: readonly string[]): EngineError {
  const hosts = audienceHosts(audience);
  const allowed =
    documentOrigins.length > 0
      ? `the pulled provider's servers are ${documentOrigins.join(', ')}`
      : hosts.length > 0
        ? `its hosts are ${hosts.join(', ')} (and their subdomains)`
        : 'skyql knows no host for it';
  return new EngineError('AUTH_UNTRUSTED_HOST', `${operation}: refusing to send the token for ${audience} to ${origin}: ${allowed}`, {
    hint: `if ${origin} is yours, allow it for ${provider} with --endpoint ${provider}=<url> (library: endpoints); a statement, spec or response cannot`,
    details: { provider, audience, origin },
  });
}
