// mapPacked (src/util/arrays.ts) gives the same elements as Array.prototype.map, and a packed array
// in every tier of V8, which `.map` does not once TurboFan compiles its caller: checked in a child
// Node with V8's test intrinsics, so that a "simpler" mapPacked built on `.map` fails here.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { mapPacked } from '../../../src/util/arrays.ts';

it('maps like Array.prototype.map, with the index', () => {
  expect(mapPacked(['a', 'b', 'c'], (item, index) => `${item}${index}`)).toEqual(['a0', 'b1', 'c2']);
  expect(mapPacked([], () => 1)).toEqual([]);
});

it('is packed when TurboFan has compiled it and its caller, where .map is holey', () => {
  const module = fileURLToPath(new URL('../../../src/util/arrays.ts', import.meta.url));
  const script = `
    const { mapPacked } = await import(${JSON.stringify(module)});
    const holey = new Function('a', 'return %HasHoleyElements(a)');
    const optimize = new Function('f', 'a', '%PrepareFunctionForOptimization(f); f(...a); f(...a); %OptimizeFunctionOnNextCall(f); f(...a);');
    const viaHelper = (items) => mapPacked(items, (n) => ({ n }));
    const viaMap = (items) => items.map((n) => ({ n }));
    optimize(mapPacked, [[1, 2], (n) => ({ n })]);
    optimize(viaHelper, [[1, 2]]);
    optimize(viaMap, [[1, 2]]);
    process.stdout.write(JSON.stringify({ helper: holey(viaHelper([1, 2, 3])), map: holey(viaMap([1, 2, 3])) }));
  `;
  const child = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  // `map: true` shows the check sees what it looks for on this V8.
  expect(JSON.parse(child.stdout)).toEqual({ helper: false, map: true });
});
