import type { SecretVault } from '../secrets/vault.ts';
import { uploadedSize } from '../uploads/store.ts';
import type { Received, Services } from './types.ts';

/** What a form's fields reach beyond the form: the vault for secrets, and the session's uploads. */
export type FormServices = Services & { readonly staged: string[] };

/**
 * Services for reading one form. `vault` and `uploadsFolder` are undefined where secrets and files must be given
 * again (an import); `uploads` holds the files that came with this form.
 */
export function formServices(vault: SecretVault | undefined, uploadsFolder: string | undefined, uploads: Record<string, Received> = {}): FormServices {
  const staged: string[] = [];
  return {
    staged,
    uploads,
    stageSecret: (plain) => {
      if (!vault) throw new Error('secrets cannot be stored here');
      const ref = vault.stage(plain);
      staged.push(ref);
      return ref;
    },
    secretFingerprint: (ref) => vault?.fingerprint(ref),
    uploadedSize: (sha256) => (uploadsFolder === undefined ? undefined : uploadedSize(uploadsFolder, sha256)),
  };
}
