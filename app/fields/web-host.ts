// What keeps a parsed web address from naming a place that can be reached, beyond what URL itself refuses:
// URL takes "http://a..b/", "http://-x-.com/" and port 0, none of which any server answers at.

/**
 * Why the address cannot be reached, in words that follow its name ("has ..."), or undefined when nothing
 * stands in the way: an empty label in the host name (one final dot, the root, is allowed), a label that
 * starts or ends with '-', or port 0. An IP address is not read as labels.
 */
export function hostProblem(url: URL): string | undefined {
  if (url.port === '0') return 'port 0, which nothing can be reached at';
  const host = url.hostname;
  if (host.startsWith('[')) return undefined;
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  if (labels.some((label) => label === '')) return `an empty label in its host name "${host}"`;
  const dashed = labels.find((label) => label.startsWith('-') || label.endsWith('-'));
  if (dashed) return `a label in its host name that starts or ends with "-" ("${dashed}")`;
  return undefined;
}
