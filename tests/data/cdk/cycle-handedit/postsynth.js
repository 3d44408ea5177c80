// Hand edit applied after synth (CDK refuses to synthesize a cycle): add "A" to the
// dependencies of stack B, so the manifest holds A -> B (from the reference) and B -> A.
const fs = require('fs'), path = require('path');
const file = path.join(process.argv[2], 'manifest.json');
const m = JSON.parse(fs.readFileSync(file, 'utf8'));
const deps = m.artifacts.B.dependencies;
if (!deps.includes('A')) deps.unshift('A');
fs.writeFileSync(file, JSON.stringify(m, null, 2));
