/**
 * The URL rules of the request schemas as ECMA-262 patterns, so that the OpenAPI document states
 * them (`pattern`) and the servers enforce exactly them. Tight enough that every match also parses
 * as a WHATWG URL (what the servers use): a DNS name whose last label starts with a letter (else
 * URL parsers read it as an IPv4 number), no `xn--` label (its punycode may not decode), a dotted
 * IPv4 address, a port up to 65535, no credentials, and visible ASCII after the host.
 */

/** `[Hh][Tt]…`: JSON Schema patterns carry no flags, and URL schemes and host names ignore case. */
export function anyCase(word: string): string {
  return [...word]
    .map((char) => (/[a-z]/i.test(char) ? `[${char.toUpperCase()}${char.toLowerCase()}]` : char))
    .join('');
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const LABEL_TAIL = '(?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const LABEL = `(?!${anyCase('xn')}--)[A-Za-z0-9]${LABEL_TAIL}`;
const LAST_LABEL = `(?!${anyCase('xn')}--)[A-Za-z]${LABEL_TAIL}`;
const DNS_NAME = `(?:${LABEL}\\.)*${LAST_LABEL}`;
const IPV4 = `${OCTET}(?:\\.${OCTET}){3}`;
const PORT =
  '(?::(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d\\d|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3}|0))?';
const REST = '(?:[/?#][\\x21-\\x7e]*)?';

/** `localhost`, 127.0.0.0/8 and `[::1]`: the hosts plain `http` webhooks may name. */
const LOOPBACK_HOST = `(?:${anyCase('localhost')}|127(?:\\.${OCTET}){3}|\\[::1\\])`;

/** Whether `value` parses as an absolute URL without credentials (what the patterns promise). */
export function parsesWithoutCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** An absolute `http:` or `https:` URL (source images). */
export const HTTP_URL_PATTERN = `^${anyCase('http')}[Ss]?://(?:${DNS_NAME}|${IPV4})${PORT}${REST}$`;

/** An `https:` URL, or an `http:` one to a loopback host (webhook receivers). */
export const WEBHOOK_URL_PATTERN =
  `^(?:${anyCase('https')}://(?:${DNS_NAME}|${IPV4}|\\[::1\\])|${anyCase('http')}://${LOOPBACK_HOST})` +
  `${PORT}${REST}$`;
