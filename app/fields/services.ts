import type { SecretVault } from '../secrets/vault.ts';
import { uploadedSize } from '../uploads/store.ts';
import type { Received, Services } from './types.ts';

/**
 * Services for reading one form. `vault` and `uploadsFolder` are undefined where secrets and files must be given
 * again (an import); `uploads` holds the files that came with this form.
 */
export function formServices(vault: SecretVault | undefined, uploadsFolder: string | undefined, uploads: Record<string, Received> = {}): Services {
  return {
    uploads,
    stageSecret: (plain) => {
      if (!vault) throw new Error('secrets cannot be stored here');
      return vault.stage(plain);
    },
    secretFingerprint: (ref) => vault?.fingerprint(ref),
    uploadedSize: (sha256) => (uploadsFolder === undefined ? undefined : uploadedSize(uploadsFolder, sha256)),
  };
}
