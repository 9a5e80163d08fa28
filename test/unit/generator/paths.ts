// Locations shared by the generator tests.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const specsRoot = join(repoRoot, '../shared/specs/azure');
export const providerDir = join(repoRoot, 'providers/azure');
export const manifestsDir = join(repoRoot, 'manifests');
export const overridesFile = join(providerDir, 'overrides.yaml');

export const SHIPPED_SPECS = [
  'datafactory/resource-manager/Microsoft.DataFactory/stable/2018-06-01/datafactory.json',
  'synapse/data-plane/Microsoft.Synapse/stable/2020-12-01/pipelines.json',
  'resources/resource-manager/Microsoft.Resources/stable/2022-09-01/resources.json',
  'resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json',
];
