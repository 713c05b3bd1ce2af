/** What the app said on stderr (console.error) while `task` ran, line by line. */
export async function stderrOf<T>(task: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void lines.push(args.map(String).join(' '));
  try {
    return { result: await task(), lines };
  } finally {
    console.error = original;
  }
}
