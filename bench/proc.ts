import { readFileSync } from 'node:fs'

/** Clock ticks per second in /proc/{pid}/stat (USER_HZ). */
export const TICKS = 100

/** A process's /proc stat: its command name, parent pid and CPU seconds (user + system); undefined once it has ended. */
export function procStat(pid: number | string): { comm: string; ppid: number; cpu_s: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: Number(fields[1]), cpu_s: (Number(fields[11]) + Number(fields[12])) / TICKS }
  } catch {
    return undefined
  }
}

/** CPU seconds (user + system) of a process, NaN once it has ended. */
export const cpuOf = (pid: number): number => procStat(pid)?.cpu_s ?? NaN

/** CPU seconds (user + system) of this process. */
export function ownCpu(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}
