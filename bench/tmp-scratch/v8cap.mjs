import v8 from 'node:v8';
const mode = process.env.CAP_MODE;
if (mode === 'factor1') v8.setFlagsFromString('--semi-space-growth-factor=1');
if (mode === 'factor1min') { v8.setFlagsFromString('--min-semi-space-size=4'); v8.setFlagsFromString('--semi-space-growth-factor=1'); }
if (mode === 'watch') {
  const cap = Number(process.env.CAP_MB ?? 4) * 1048576;
  const t = setInterval(() => {
    const ns = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (ns && ns.space_size >= cap) { v8.setFlagsFromString('--semi-space-growth-factor=1'); clearInterval(t); process.stderr.write(`capped at ${(ns.space_size/1048576).toFixed(1)} MB\n`); }
  }, 5);
  t.unref();
}
