// Locations shared by the generator tests.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sharedPath } from '../../helpers/shared.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Azure's specs in the shared folder (../shared or SKYQL_SHARED): only tests guarded by needsShared read them. */
export const specsRoot = sharedPath('specs/azure');
export const providerDir = join(repoRoot, 'providers/azure');
export const manifestsDir = join(repoRoot, 'manifests');
export const overridesFile = join(providerDir, 'overrides.yaml');

export const SHIPPED_SPECS = [
  'datafactory/resource-manager/Microsoft.DataFactory/stable/2018-06-01/datafactory.json',
  'synapse/data-plane/Microsoft.Synapse/stable/2020-12-01/pipelines.json',
  'resources/resource-manager/Microsoft.Resources/stable/2022-09-01/resources.json',
  'resources/resource-manager/Microsoft.Resources/stable/2022-12-01/subscriptions.json',
];
