// "Did you mean" suggestions for unknown names.

export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (!best) return undefined;
  const tolerance = Math.max(2, Math.floor(wanted.length / 3));
  return best.distance <= tolerance ? best.candidate : undefined;
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const list = [...candidates];
  const closest = closestName(name, list);
  if (closest) return `did you mean "${closest}"?`;
  return list.length > 0 && list.length <= 12 ? `expected one of: ${list.join(', ')}` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
