// Loaded into a benchmarked process with `node --import`: when the process exits it writes its CPU
// time (user + system, every thread) and peak RSS to the file named by THREATLENS_BENCH_PROBE.
// threatlens itself knows nothing of it.
import { writeFileSync } from 'node:fs';

const target = process.env.THREATLENS_BENCH_PROBE;
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
    writeFileSync(target, JSON.stringify({ cpuMs, rssMb: usage.maxRSS / 1024 }));
  });
}
