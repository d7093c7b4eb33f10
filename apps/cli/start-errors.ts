/**
 * One clear line for the ways a start fails because of the environment: a taken or forbidden
 * port, a refused or unresolvable address, a malformed URL, a missing file. Anything else is a
 * bug and keeps its stack trace (undefined here).
 */
type Sys = Error & { code?: string; syscall?: string; address?: string; port?: number; hostname?: string; path?: string; input?: string };

function causes(e: unknown): Sys[] {
  const out: Sys[] = [];
  for (let c: unknown = e, i = 0; c instanceof Error && i < 8; c = (c as { cause?: unknown }).cause, i++) {
    out.push(c as Sys);
    if (c instanceof AggregateError) for (const x of c.errors) if (x instanceof Error) out.push(x as Sys);
  }
  return out;
}

const where = (s: Sys) => (s.port !== undefined ? `${s.address ?? ''}:${s.port}` : (s.address ?? s.hostname ?? ''));

/** The line to print for a start failure, or undefined when it is not one (a bug). */
export function explainStartError(e: unknown): string | undefined {
  const chain = causes(e);
  const top = chain[0];
  for (const s of chain) {
    switch (s.code) {
      case 'EADDRINUSE':
        return `address ${where(s)} is already in use: stop the process holding it (ss -ltnup | grep ${s.port ?? ''}) or choose another port`;
      case 'EACCES':
        if (s.syscall === 'listen' || s.syscall === 'bind') return `not allowed to listen on ${where(s)}: choose a port ≥ 1024`;
        if (s.path) return `permission denied: ${s.path}: run as a user who may use it (for a serial port: the dialout group)`;
        break;
      case 'EADDRNOTAVAIL':
        return `address ${where(s)} is not an address of this machine: listen on 0.0.0.0, 127.0.0.1 or one of its interfaces`;
      case 'ECONNREFUSED': {
        const ctx = top && top !== s ? /^(.*? at [a-z]+:\/\/\S+?):\s/.exec(top.message)?.[1] : undefined;
        return `${ctx ? `${ctx}: ` : ''}connection refused at ${where(s)}: is the service running there, on that port?`;
      }
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `cannot resolve host '${s.hostname ?? ''}': check the URL's host name`;
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return `${where(s) || 'the host'} is unreachable (${s.code}): check the address and the network`;
      case 'ERR_INVALID_URL':
        return `'${s.input ?? ''}' is not a valid URL: write it as scheme://host:port (e.g. mqtt://127.0.0.1:1883)`;
      case 'ENOENT':
        if (s.path) return `no such file or device: ${s.path}`;
        break;
      default:
    }
  }
  return undefined;
}

const ADVICE: [RegExp, string][] = [
  [/EADDRINUSE/, 'stop the process holding that port or choose another one'],
  [/EADDRNOTAVAIL/, 'bind an address of this machine (0.0.0.0, 127.0.0.1 or one of its interfaces)'],
  [/EACCES/, 'choose a port ≥ 1024 or a file you may use'],
  [/ECONNREFUSED/, 'is the service running there, on that port?'],
  [/ENOTFOUND|EAI_AGAIN/, 'check the host name'],
];

/** A one-line error message with what to do appended when it names a known system error. */
export function withAdvice(message: string): string {
  const a = ADVICE.find(([re]) => re.test(message));
  return a ? `${message}: ${a[1]}` : message;
}
