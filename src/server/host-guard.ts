/**
 * DNS rebinding protection for the open loopback mode. Without ADMIN_TOKEN every request is
 * admin, and a web page whose domain was rebound to 127.0.0.1 reaches the server from the
 * user's own browser: its requests carry the page's name in `Host` (and `Origin`), never a
 * loopback one. So in that mode a request whose `Host`, or `Origin` when present, is not a
 * loopback name or address (localhost, *.localhost, 127.0.0.0/8, [::1]) or a name the user
 * allowed is refused with 403, as Vite's and webpack-dev-server's `allowedHosts` do. With a
 * token, the token decides and names are not checked.
 */
import { isLoopback } from './auth.js';

/** The host name of a `Host` header value (port and brackets of IPv6 kept apart), lowercased. */
export function hostNameOf(host: string): string {
  const trimmed = host.trim().toLowerCase();
  if (trimmed.startsWith('[')) return trimmed.slice(0, trimmed.indexOf(']') + 1);
  const colon = trimmed.lastIndexOf(':');
  return (colon === -1 ? trimmed : trimmed.slice(0, colon)).replace(/\.$/, '');
}

/** Whether `name` is loopback or in `allowed` (`example.test`, or `.example.test` for it and its subdomains). */
export function isAllowedHostName(name: string, allowed: readonly string[]): boolean {
  if (isLoopback(name)) return true;
  return allowed.some((entry) => (entry.startsWith('.') ? name === entry.slice(1) || name.endsWith(entry) : name === entry.replace(/\.$/, '')));
}

/** Why a request of the open mode is refused, or undefined when its names are allowed. */
export function refusedHost(headers: { host?: string | undefined; origin?: string | undefined }, allowed: readonly string[]): string | undefined {
  if (headers.host !== undefined && !isAllowedHostName(hostNameOf(headers.host), allowed)) return `the Host '${headers.host}'`;
  if (headers.origin !== undefined) {
    let name: string;
    try {
      name = new URL(headers.origin).hostname.toLowerCase();
    } catch {
      return `the Origin '${headers.origin}'`;
    }
    if (headers.origin === 'null' || !isAllowedHostName(name, allowed)) return `the Origin '${headers.origin}'`;
  }
  return undefined;
}

/** The 403 message: what was refused, why, and the two ways out. */
export function refusedHostMessage(what: string): string {
  const name = /'(?:https?:\/\/)?([^':/\]]+|\[[^\]]+\])/.exec(what)?.[1] ?? 'NAME';
  return (
    `refused: ${what} is not this machine's. Without ADMIN_TOKEN this server answers only requests addressed to localhost, 127.0.0.1 or [::1] ` +
    `(a web page rebinding its own domain to 127.0.0.1 could otherwise run admin mutations). To use this name, allow it: ` +
    `ALLOWED_HOSTS=${name} (or serve --allowed-hosts ${name}; a leading dot allows subdomains); or set ADMIN_TOKEN`
  );
}
