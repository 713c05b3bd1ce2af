import type { SecretVault } from '../secrets/vault.ts';
import { uploadedSize } from '../uploads/store.ts';
import type { Received, Services } from './types.ts';

/**
 * Services for reading one form. `vault` and `uploadsFolder` are undefined where secrets and files must be given
 * again (an import); `uploads` holds the files that came with this form; `recorded`, the secret references the
 * session's log holds (to say why one of them is missing).
 */
export function formServices(
  vault: SecretVault | undefined,
  uploadsFolder: string | undefined,
  uploads: Record<string, Received> = {},
  recorded: ReadonlySet<string> = new Set(),
): Services {
  return {
    uploads,
    stageSecret: (plain) => {
      if (!vault) throw new Error('secrets cannot be stored here');
      return vault.stage(plain);
    },
    secretFingerprint: (ref) => vault?.fingerprint(ref),
    secretMissing: (ref) => (!vault ? 'nowhere' : recorded.has(ref) ? 'recorded' : vault.wasLetGo(ref) ? 'let-go' : 'unknown'),
    uploadedSize: (sha256) => (uploadsFolder === undefined ? undefined : uploadedSize(uploadsFolder, sha256)),
  };
}
