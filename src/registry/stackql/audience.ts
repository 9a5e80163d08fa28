// Which token a pulled Azure service gets. StackQL's Azure documents name no OAuth scope (their
// security schemes give only the login URL), so skyql decides it from the service's server: the
// audience whose Microsoft hosts include the server's host. A server whose host is a template
// (`https://{endpoint}`) names no host, so the service's name decides, for the services whose
// audience Microsoft documents; anything else gets no token.

import { audienceForHost } from '../credential-hosts.ts';

/** Data-plane services reached through a host template, by the audience of their tokens. */
const AUDIENCE_BY_SERVICE: Readonly<Record<string, string>> = {
  key_vault_administration: 'https://managedhsm.azure.net',
  key_vault_security_domain: 'https://managedhsm.azure.net',
  storage_file_datalake: 'https://storage.azure.com',
  batch_dataplane: 'https://batch.core.windows.net',
  monitor_query: 'https://api.loganalytics.io',
  ai_anomaly_detector: 'https://cognitiveservices.azure.com',
  ai_content_safety: 'https://cognitiveservices.azure.com',
  ai_document_intelligence: 'https://cognitiveservices.azure.com',
  ai_form_recognizer: 'https://cognitiveservices.azure.com',
  ai_language: 'https://cognitiveservices.azure.com',
  ai_personalizer: 'https://cognitiveservices.azure.com',
  ai_text_analytics: 'https://cognitiveservices.azure.com',
  ai_text_analytics_authoring: 'https://cognitiveservices.azure.com',
  ai_transcription: 'https://cognitiveservices.azure.com',
  ai_translation_document: 'https://cognitiveservices.azure.com',
  ai_translation_text: 'https://cognitiveservices.azure.com',
  ai_vision_face: 'https://cognitiveservices.azure.com',
  ai_vision_image_analysis: 'https://cognitiveservices.azure.com',
};

const SYNAPSE = 'https://dev.azuresynapse.net';

/** The OAuth scope (`…/.default`) of an Azure service's tokens; '' when skyql knows none. */
export function azureAudience(service: string, serverUrl: string): string {
  const byName = Object.hasOwn(AUDIENCE_BY_SERVICE, service) ? AUDIENCE_BY_SERVICE[service] : undefined;
  const resource = audienceOfServer(serverUrl) ?? byName ?? (service.startsWith('synapse_') ? SYNAPSE : undefined);
  return resource ? `${resource}/.default` : '';
}

/** The audience whose hosts include the server's fixed host (`https://{vault_name}.vault.azure.net` → Key Vault's). */
function audienceOfServer(serverUrl: string): string | undefined {
  const host = /^https:\/\/([^/?#]*)/i.exec(serverUrl)?.[1];
  if (!host) return undefined;
  // The fixed part of a templated host: `{account}.blob.core.windows.net` → blob.core.windows.net.
  const fixed = host.includes('}') ? host.slice(host.lastIndexOf('}') + 1).replace(/^\./, '') : host;
  return fixed.includes('{') || fixed === '' ? undefined : audienceForHost(fixed.toLowerCase());
}
