const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const timer = setInterval(() => { const m = process.memoryUsage(); for (const k in peak) peak[k] = Math.max(peak[k], m[k]); }, 20);
timer.unref();
process.on('exit', () => { const mb = (x) => (x / 1048576).toFixed(0); process.stderr.write(`peak MB: ${Object.entries(peak).map(([k, v]) => `${k} ${mb(v)}`).join(', ')}; maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)}\n`); });
