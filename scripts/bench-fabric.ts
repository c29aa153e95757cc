// Runs the network-fabric benchmark and prints the result as JSON.
// Usage: tsx scripts/bench-fabric.ts [durationMs] [connections] [pipeline]

import { benchFabric } from './bench/fabric-hop.js';

const [durationMs = 4000, connections, pipeline] = process.argv.slice(2).map(Number);
const result = await benchFabric({ durationMs, connections, pipeline });
console.log(JSON.stringify(result, null, 2));
