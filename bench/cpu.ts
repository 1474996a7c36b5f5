/**
 * CPU time spent during a bench phase, by whom: the server, PostgreSQL, the bench itself (the
 * load generator) and the whole machine, from Linux's /proc (zeros elsewhere). The append and
 * import targets are set for a 2-core machine on which the server, PostgreSQL and the load
 * generator share the cores: what each append costs them all says how many appends the machine
 * can make at best (its ceiling), whatever the code's serial sections, and `steal` says how much
 * of the time the hypervisor gave the cores to someone else (this VM's slow periods).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second in /proc (USER_HZ, sysconf(_SC_CLK_TCK)): 100 on Linux's mainstream builds. */
const TICKS_PER_SECOND = 100;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // the process ended, or not Linux
  }
}

/** A process's user and system time, in ticks (fields 14 and 15 of /proc/<pid>/stat, after the name). */
function processTicks(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Every process named postgres on the machine: the postmaster, its backends and workers. */
function postgresPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((e) => /^\d+$/.test(e) && read(`/proc/${e}/comm`)?.trim() === 'postgres').map(Number);
}

/** The machine's time in ticks, summed over its CPUs: busy (user, nice, system, irq, softirq), stolen, and all. */
function machineTicks(): { busy: number; steal: number; total: number } {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return { busy: 0, steal: 0, total: 0 };
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return {
    busy: user + nice + system + irq + softirq,
    steal,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
  };
}

/** Seconds of CPU each spent between start and stop. */
export interface CpuSpent {
  readonly server: number;
  readonly postgres: number;
  readonly bench: number;
  readonly machine: number;
  /** Shares of the machine's time in the phase, 0 to 1. */
  readonly busyShare: number;
  readonly stealShare: number;
  readonly cores: number;
}

/**
 * Starts counting. PostgreSQL's processes are those alive at the stop (a backend that ended
 * during the phase is not counted; the server's pooled connections live throughout).
 */
export function cpuMeter(serverPids: readonly number[]): { stop(): CpuSpent } {
  const startServer = serverPids.reduce((sum, pid) => sum + processTicks(pid), 0);
  const startPostgres = new Map(postgresPids().map((pid) => [pid, processTicks(pid)]));
  const startBench = process.cpuUsage();
  const startMachine = machineTicks();
  return {
    stop() {
      const server = serverPids.reduce((sum, pid) => sum + processTicks(pid), 0) - startServer;
      const postgres = postgresPids().reduce((sum, pid) => sum + processTicks(pid) - (startPostgres.get(pid) ?? 0), 0);
      const bench = process.cpuUsage(startBench);
      const machine = machineTicks();
      const total = machine.total - startMachine.total || 1;
      return {
        server: server / TICKS_PER_SECOND,
        postgres: postgres / TICKS_PER_SECOND,
        bench: (bench.user + bench.system) / 1e6,
        machine: (machine.busy - startMachine.busy) / TICKS_PER_SECOND,
        busyShare: (machine.busy - startMachine.busy) / total,
        stealShare: (machine.steal - startMachine.steal) / total,
        cores: cpus().length,
      };
    },
  };
}
