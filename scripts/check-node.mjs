// Fails fast when a script runs on the machine's system Node instead of the pinned one.
const major = Number(process.versions.node.split(".")[0]);
if (major < 24) {
  console.error(`countersign: scripts need Node >= 24 (pinned as a devDependency); got ${process.version}`);
  process.exit(1);
}
console.log(`node ${process.version}`);
