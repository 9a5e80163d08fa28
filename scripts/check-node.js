// Fails clearly when npm scripts run on a Node older than the engines field allows
// (e.g. after `npm ci --ignore-scripts`, which skips the pinned Node 24 binary).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  console.error(`skyql needs Node >= 22.19 (found ${process.versions.node}).`);
  console.error('Run `npm ci` without --ignore-scripts so the pinned Node 24 (devDependency "node") is installed.');
  process.exit(1);
}
