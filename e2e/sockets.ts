// Reading an `strace -f -e trace=socket,connect,bind,sendto` log: which socket families the app
// used, and every connection or datagram that left for an internet address.

export interface SocketSummary {
  /** How many traced calls were read. */
  syscalls: number;
  /** socket() calls by address family (AF_UNIX, AF_NETLINK, AF_INET, ...). */
  families: Record<string, number>;
  /** connect() calls by address family. */
  connectFamilies: Record<string, number>;
  /** connect/sendto lines to 127.0.0.0/8 or ::1 (e.g. the WebDriver automation session). */
  loopback: string[];
  /** connect/sendto lines to any other AF_INET/AF_INET6 address: each one is a failure. */
  internet: string[];
}

const LOOPBACK = /inet_addr\("127\.\d+\.\d+\.\d+"\)|inet_pton\(AF_INET6, "::1"|"::ffff:127\.\d+\.\d+\.\d+"/;

export function summarizeSockets(log: string): SocketSummary {
  const s: SocketSummary = { syscalls: 0, families: {}, connectFamilies: {}, loopback: [], internet: [] };
  for (const raw of log.split('\n')) {
    const line = raw.trim();
    const call = /^(?:\[pid\s+)?\d*\]?\s*(socket|connect|bind|sendto)\(/.exec(line);
    if (!call) continue;
    s.syscalls += 1;
    const name = call[1];
    if (name === 'socket') {
      const fam = /socket\((AF_[A-Z0-9]+|\d+)/.exec(line)?.[1] ?? '?';
      s.families[fam] = (s.families[fam] ?? 0) + 1;
      continue;
    }
    const fam = /sa_family=(AF_[A-Z0-9]+)/.exec(line)?.[1];
    if (name === 'connect' && fam) s.connectFamilies[fam] = (s.connectFamilies[fam] ?? 0) + 1;
    if ((name === 'connect' || name === 'sendto') && (fam === 'AF_INET' || fam === 'AF_INET6')) {
      (LOOPBACK.test(line) ? s.loopback : s.internet).push(line);
    }
  }
  return s;
}
