// Provider versions as StackQL's registry names them: `v0.1.2`, `v23.03.00127`, `v00.00.00000`.

const VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+.].*)?$/;

/** Whether a name is a provider version (also the only folder names a pull writes). */
export function isVersionName(name: string): boolean {
  return VERSION.test(name) && name.length <= 64;
}

/** The highest version, compared part by part as numbers; undefined when none is a version. */
export function latestVersion(names: readonly string[]): string | undefined {
  return names.filter(isVersionName).sort(compareVersions).at(-1);
}

export function compareVersions(a: string, b: string): number {
  const partsA = VERSION.exec(a)!.slice(1, 4).map(Number);
  const partsB = VERSION.exec(b)!.slice(1, 4).map(Number);
  for (let i = 0; i < 3; i++) if (partsA[i] !== partsB[i]) return partsA[i] - partsB[i];
  return a < b ? -1 : a > b ? 1 : 0;
}
