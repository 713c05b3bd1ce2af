import type { BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { LineIndexes, lineStarts, matches, type LineIndex } from '../log/line-index.ts';
import { checkLog, indexVouches, type Check } from '../log/verify.ts';

/** How export judged a log: through the line index beside it (verified before, unchanged since), or line by line. */
export type ExportCheck = Check & { through: 'index' | 'chain' };

/**
 * Whether the bytes export read from a session's log are intact. A `lines.idx` beside the log that matches the
 * file (size, modification time to the ns, inode) and the bytes (`indexVouches`) says they were verified and have
 * not changed since, so the chain is not walked again. Otherwise every line is checked, and an intact log gets an
 * index for the next time, written as the server writes it (own name, then rename; never through a link). Without
 * `stats` (the file changed while it was read) the bytes are checked and no index is left.
 */
export async function checkExported(session: { id: string; path: string }, bytes: Buffer, stats: BigIntStats | undefined): Promise<ExportCheck> {
  const indexes = new LineIndexes(() => dirname(session.path));
  const saved = stats && (await indexes.load(session.id));
  if (saved && matches(saved, stats) && indexVouches(saved, bytes)) return { ok: true, count: saved.seq, lastSeq: saved.seq, lastHash: saved.hash, through: 'index' };
  const check = checkLog(bytes);
  // A data folder that cannot be written to (a backup, another user's) still exports; the index is only a cache.
  if (check.ok && stats) await indexes.save(session.id, indexFor(bytes, stats, check)).catch(() => {});
  return { ...check, through: 'chain' };
}

function indexFor(bytes: Buffer, stats: BigIntStats, check: Extract<Check, { ok: true }>): LineIndex {
  return { size: bytes.length, mtime: stats.mtimeNs, ino: stats.ino, seq: check.lastSeq, hash: check.lastHash, starts: lineStarts(bytes) };
}
